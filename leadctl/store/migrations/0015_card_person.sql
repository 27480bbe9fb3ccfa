-- The customer card's personal fields that both the card ([003] A卡) and the owner's retention card
-- ([003] 保有客户维系卡) hold: one copy, on the lead. A birthday is stored as written on its calendar.
ALTER TABLE leads ADD COLUMN birthday TEXT CHECK (birthday IS NULL OR birthday GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]');
ALTER TABLE leads ADD COLUMN birthday_calendar TEXT CHECK (birthday_calendar IS NULL OR birthday_calendar = 'solar' OR birthday_calendar = 'lunar');
ALTER TABLE leads ADD COLUMN address TEXT CHECK (address IS NULL OR length(trim(address)) > 0);
ALTER TABLE leads ADD COLUMN landline TEXT CHECK (landline IS NULL OR length(trim(landline)) > 0);
