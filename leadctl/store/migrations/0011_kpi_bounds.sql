-- KPI bounds say whether they include their value: `max` now includes it, `max_exclusive` does not. A stored
-- policy was written when every `max` was strict: it keeps its meaning as `max_exclusive` (`min` always included).
-- The policy's history is kept; only each document's spelling of its strict maxima changes.
UPDATE policy SET body = json_remove(json_set(body, '$.kpi.retention_rate.max_exclusive', json_extract(body, '$.kpi.retention_rate.max')),
                                  '$.kpi.retention_rate.max') WHERE json_type(body, '$.kpi.retention_rate.max') IS NOT NULL;
UPDATE policy SET body = json_remove(json_set(body, '$.kpi.dcc_share.max_exclusive', json_extract(body, '$.kpi.dcc_share.max')),
                                  '$.kpi.dcc_share.max') WHERE json_type(body, '$.kpi.dcc_share.max') IS NOT NULL;
UPDATE policy SET body = json_remove(json_set(body, '$.kpi.arrival_rate.max_exclusive', json_extract(body, '$.kpi.arrival_rate.max')),
                                  '$.kpi.arrival_rate.max') WHERE json_type(body, '$.kpi.arrival_rate.max') IS NOT NULL;
UPDATE policy SET body = json_remove(json_set(body, '$.kpi.close_rate.max_exclusive', json_extract(body, '$.kpi.close_rate.max')),
                                  '$.kpi.close_rate.max') WHERE json_type(body, '$.kpi.close_rate.max') IS NOT NULL;
UPDATE policy SET body = json_remove(json_set(body, '$.kpi.downgrade_rate.max_exclusive', json_extract(body, '$.kpi.downgrade_rate.max')),
                                  '$.kpi.downgrade_rate.max') WHERE json_type(body, '$.kpi.downgrade_rate.max') IS NOT NULL;
UPDATE policy SET body = json_remove(json_set(body, '$.kpi.defeat_share.max_exclusive', json_extract(body, '$.kpi.defeat_share.max')),
                                  '$.kpi.defeat_share.max') WHERE json_type(body, '$.kpi.defeat_share.max') IS NOT NULL;
UPDATE policy SET body = json_remove(json_set(body, '$.kpi.overdue_rate.max_exclusive', json_extract(body, '$.kpi.overdue_rate.max')),
                                  '$.kpi.overdue_rate.max') WHERE json_type(body, '$.kpi.overdue_rate.max') IS NOT NULL;
UPDATE policy SET body = json_remove(json_set(body, '$.kpi.calls_per_day.max_exclusive', json_extract(body, '$.kpi.calls_per_day.max')),
                                  '$.kpi.calls_per_day.max') WHERE json_type(body, '$.kpi.calls_per_day.max') IS NOT NULL;
UPDATE policy SET body = json_remove(json_set(body, '$.kpi.receptions_per_day.max_exclusive', json_extract(body, '$.kpi.receptions_per_day.max')),
                                  '$.kpi.receptions_per_day.max') WHERE json_type(body, '$.kpi.receptions_per_day.max') IS NOT NULL;
