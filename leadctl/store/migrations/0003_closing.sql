-- Closing leads: defeat requests (战败申请), the history of a lead's status, orders, and the retention card
-- (保有客户卡) of a delivered customer. Names and phones stay on the lead (read from it, never copied).

-- One row per defeat request [003]: requested by the salesperson, verified by customer service's call-back,
-- approved or rejected by the manager. `grade` is the lead's grade when requested (for defeat analysis);
-- `reason` is a code of the policy's [defeat] reasons (policy is data, so no fixed list here).
CREATE TABLE defeats (
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id),
    requested_at TEXT NOT NULL,
    requested_by INTEGER NOT NULL REFERENCES staff(id),
    grade TEXT CHECK (grade IN ('O','H','A','B','C','D','F','L','W')),
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    lost_to TEXT CHECK (lost_to IS NULL OR length(trim(lost_to)) > 0),
    price INTEGER CHECK (price IS NULL OR price >= 0),
    note TEXT CHECK (note IS NULL OR length(trim(note)) > 0),
    status TEXT NOT NULL DEFAULT 'requested' CHECK (status IN ('requested','verified','approved','rejected')),
    verified_at TEXT,
    verified_by INTEGER REFERENCES staff(id),
    verification TEXT CHECK (verification IS NULL OR length(trim(verification)) > 0),
    decided_at TEXT,
    decided_by INTEGER REFERENCES staff(id),
    decision_note TEXT CHECK (decision_note IS NULL OR length(trim(decision_note)) > 0),
    CHECK ((verified_at IS NULL) = (verified_by IS NULL) AND (verified_at IS NULL) = (verification IS NULL)),
    CHECK (status != 'verified' OR verified_at IS NOT NULL),
    CHECK ((status IN ('approved','rejected')) = (decided_at IS NOT NULL)),
    CHECK ((decided_at IS NULL) = (decided_by IS NULL))
) STRICT;
CREATE UNIQUE INDEX defeats_one_open ON defeats(lead_id) WHERE status IN ('requested','verified');
CREATE INDEX defeats_status ON defeats(status, requested_at);
CREATE INDEX defeats_lead ON defeats(lead_id, id);

-- A sales order [000]: the vehicle chosen by VIN, or by brand -> series -> model (-> configuration).
-- `previous_grade` is the lead's grade before O, given back if the order is cancelled.
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id),
    ordered_at TEXT NOT NULL,
    ordered_by INTEGER NOT NULL REFERENCES staff(id),
    vin TEXT CHECK (vin IS NULL OR (length(vin) = 17 AND vin NOT GLOB '*[^0-9A-HJ-NPR-Z]*')),
    brand TEXT CHECK (brand IS NULL OR length(trim(brand)) > 0),
    series TEXT CHECK (series IS NULL OR length(trim(series)) > 0),
    model TEXT CHECK (model IS NULL OR length(trim(model)) > 0),
    config TEXT CHECK (config IS NULL OR length(trim(config)) > 0),
    colour TEXT CHECK (colour IS NULL OR length(trim(colour)) > 0),
    price INTEGER CHECK (price IS NULL OR price >= 0),
    deposit INTEGER CHECK (deposit IS NULL OR deposit >= 0),
    previous_grade TEXT CHECK (previous_grade IN ('O','H','A','B','C','D','F','L','W')),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','cancelled','delivered')),
    cancelled_at TEXT,
    cancelled_by INTEGER REFERENCES staff(id),
    cancel_reason TEXT CHECK (cancel_reason IS NULL OR length(trim(cancel_reason)) > 0),
    delivered_at TEXT,
    delivered_by INTEGER REFERENCES staff(id),
    CHECK (vin IS NOT NULL OR (brand IS NOT NULL AND series IS NOT NULL AND model IS NOT NULL)),
    CHECK (deposit IS NULL OR price IS NULL OR deposit <= price),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
    CHECK ((cancelled_at IS NULL) = (cancelled_by IS NULL) AND (cancelled_at IS NULL) = (cancel_reason IS NULL)),
    CHECK ((status = 'delivered') = (delivered_at IS NOT NULL)),
    CHECK ((delivered_at IS NULL) = (delivered_by IS NULL))
) STRICT;
CREATE UNIQUE INDEX orders_one_open ON orders(lead_id) WHERE status = 'open';
CREATE UNIQUE INDEX orders_vin ON orders(vin) WHERE vin IS NOT NULL AND status != 'cancelled';
CREATE INDEX orders_status ON orders(status, ordered_at);
CREATE INDEX orders_lead ON orders(lead_id, id);

-- Every change of a lead's status, beside the grade and owner histories: who, when, by which act, and why.
-- Lost control records the failed attempts to reach the customer.
CREATE TABLE statuses (
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id),
    at TEXT NOT NULL,
    by_id INTEGER REFERENCES staff(id),
    status TEXT NOT NULL CHECK (status IN ('active','ordered','delivered','defeated','lost','closed')),
    previous TEXT NOT NULL CHECK (previous IN ('active','ordered','delivered','defeated','lost','closed')),
    act TEXT NOT NULL CHECK (length(trim(act)) > 0),
    attempts INTEGER CHECK (attempts IS NULL OR attempts >= 1),
    reason TEXT CHECK (reason IS NULL OR length(trim(reason)) > 0),
    defeat_id INTEGER REFERENCES defeats(id),
    order_id INTEGER REFERENCES orders(id),
    CHECK (status != previous),
    CHECK (act != 'lost' OR attempts IS NOT NULL)
) STRICT;
CREATE INDEX statuses_lead ON statuses(lead_id, at);
CREATE INDEX statuses_at ON statuses(at, status);

-- The retention card [003] of a delivered customer, one per delivered order. The vehicle (model,
-- configuration, colour, VIN, price) is the order's and the name and phone are the lead's: read, not copied.
CREATE TABLE retention_cards (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL UNIQUE REFERENCES orders(id),
    delivered_at TEXT NOT NULL,
    delivered_by INTEGER NOT NULL REFERENCES staff(id),
    plate TEXT CHECK (plate IS NULL OR length(plate) BETWEEN 7 AND 8),
    plate_date TEXT CHECK (plate_date IS NULL OR date(plate_date) IS plate_date),
    insurer TEXT CHECK (insurer IS NULL OR length(trim(insurer)) > 0),
    cover TEXT CHECK (cover IS NULL OR length(trim(cover)) > 0),
    accessories TEXT CHECK (accessories IS NULL OR length(trim(accessories)) > 0)
) STRICT;
CREATE INDEX retention_cards_delivered ON retention_cards(delivered_at);
