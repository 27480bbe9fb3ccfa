-- The store's own vehicle list (leadctl vehicle add / import): what a VIN, or the start of one, is. An order by
-- VIN takes its brand, series and model from the longest entry the VIN starts with: a whole VIN (a car in
-- stock) or a prefix such as the manufacturer code and vehicle descriptor (LFV3A28H: a 迈腾 of FAW-Volkswagen).
CREATE TABLE vehicles (
    id INTEGER PRIMARY KEY,
    prefix TEXT NOT NULL UNIQUE CHECK (length(prefix) BETWEEN 3 AND 17 AND prefix = upper(prefix)),
    brand TEXT NOT NULL CHECK (length(trim(brand)) > 0),
    series TEXT NOT NULL CHECK (length(trim(series)) > 0),
    model TEXT NOT NULL CHECK (length(trim(model)) > 0),
    config TEXT,
    set_at TEXT NOT NULL,
    set_by INTEGER REFERENCES staff(id)
) STRICT;
