-- Owner care at a decade's scale: the due list picks the owners who may owe a contact by index, not by reading
-- every delivered lead's latest card. A card's delivery day (MM-DD) finds the anniversaries and insurance
-- renewals; a delivered lead's birthday (MM-DD) finds the birthdays.
CREATE INDEX retention_cards_day ON retention_cards(substr(delivered_at, 6, 5));
CREATE INDEX leads_owner_birthday ON leads(substr(birthday, 6, 5)) WHERE status = 'delivered';
