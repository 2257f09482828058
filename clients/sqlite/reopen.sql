-- SPDX-License-Identifier: MIT
-- The file database of work.sql, closed and opened again: its contents
-- read back, changed in a transaction, checked, vacuumed.
PRAGMA foreign_keys = ON;
PRAGMA integrity_check;
SELECT count(*), sum(since) FROM customer;
SELECT count(*), sum(customer_id) FROM orders;
SELECT count(*), sum(qty) FROM item;
SELECT count(*), sum(length(body)) FROM doc;
SELECT c.city, sum(i.qty) FROM customer c JOIN orders o ON o.customer_id = c.id
  JOIN item i ON i.order_id = o.id GROUP BY c.city ORDER BY 2 DESC, 1 LIMIT 10;

BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000 * scale())
INSERT INTO orders(customer_id, day, note)
  SELECT 1 + (i * 7) % (SELECT count(*) FROM customer), 400 + i % 30, 'reopened' FROM n;
DELETE FROM doc WHERE id % 5 = 0;
COMMIT;
SELECT day, count(*) FROM orders WHERE day >= 400 GROUP BY day ORDER BY day LIMIT 5;
DROP INDEX customer_city;
CREATE INDEX customer_since ON customer(since);
SELECT since, count(*) FROM customer GROUP BY since ORDER BY count(*) DESC, since LIMIT 5;
VACUUM;
PRAGMA integrity_check;
PRAGMA page_count;
PRAGMA freelist_count;
