-- SPDX-License-Identifier: MIT
-- Tables, indexes, joins, transactions (committed, rolled back, savepoints),
-- updates and deletes, overflow pages, sorting, window functions,
-- integrity_check and VACUUM. Deterministic: the data comes from counters,
-- never random(). scale() is CLIENTS_SCALE (default 1).
PRAGMA foreign_keys = ON;
PRAGMA cache_size = -2048;

CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT, since INTEGER);
CREATE TABLE product(id INTEGER PRIMARY KEY, title TEXT NOT NULL, price REAL, category TEXT);
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customer(id),
                    day INTEGER, note TEXT);
CREATE TABLE item(order_id INTEGER NOT NULL REFERENCES orders(id),
                  product_id INTEGER NOT NULL REFERENCES product(id),
                  qty INTEGER, PRIMARY KEY(order_id, product_id)) WITHOUT ROWID;
CREATE TABLE doc(id INTEGER PRIMARY KEY, body TEXT);

BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000 * scale())
INSERT INTO customer
  SELECT i, 'customer-' || i || '-' || substr('abcdefghijklmnopqrstuvwxyz', 1 + i % 26, 1 + i % 9),
         'city' || (i * 7919 % 97), i * 31 % 3650 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000 * scale())
INSERT INTO product
  SELECT i, 'product ' || hex(i * 2654435761 % 4294967296), (i * 37 % 10000) / 100.0,
         'cat' || (i % 23) FROM n;
COMMIT;

BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000 * scale())
INSERT INTO orders
  SELECT i, 1 + (i * 104729) % (SELECT count(*) FROM customer), i % 365,
         CASE WHEN i % 5 = 0 THEN printf('note %d %.*c', i, i % 40, 'n') END FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000 * scale())
INSERT INTO item
  SELECT o.i, 1 + (o.i * k.j * 7907) % (SELECT count(*) FROM product), 1 + (o.i + k.j) % 9
  FROM n AS o, (SELECT 1 AS j UNION ALL SELECT 2 UNION ALL SELECT 3) AS k
  WHERE o.i % 4 >= k.j - 1
  ON CONFLICT DO NOTHING;
COMMIT;

BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300 * scale())
INSERT INTO doc SELECT i, printf('%0*d', 100 + (i * 977) % 9000, i) FROM n;
COMMIT;

CREATE INDEX order_customer ON orders(customer_id, day);
CREATE INDEX item_product ON item(product_id);
CREATE INDEX customer_city ON customer(city, name);
CREATE UNIQUE INDEX product_title ON product(title);

SELECT count(*), sum(since), min(name), max(name) FROM customer;
SELECT count(*), sum(customer_id), sum(length(note)) FROM orders;
SELECT count(*), sum(qty), total(qty * product_id) FROM item;
SELECT count(*), sum(length(body)) FROM doc;

-- joins and aggregates
SELECT c.city, count(DISTINCT c.id), count(o.id), sum(i.qty), round(sum(i.qty * p.price), 2)
  FROM customer c JOIN orders o ON o.customer_id = c.id
  JOIN item i ON i.order_id = o.id JOIN product p ON p.id = i.product_id
  GROUP BY c.city ORDER BY c.city;
SELECT p.category, count(*), round(avg(p.price), 4)
  FROM product p WHERE EXISTS (SELECT 1 FROM item i WHERE i.product_id = p.id)
  GROUP BY p.category ORDER BY 3 DESC, 1;
SELECT c.id, c.name, count(o.id) AS n FROM customer c LEFT JOIN orders o ON o.customer_id = c.id
  GROUP BY c.id ORDER BY n DESC, c.id LIMIT 20;
SELECT count(*) FROM customer c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id);

-- window functions and a large sort
SELECT day, total, sum(total) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW)
  FROM (SELECT o.day, sum(i.qty) AS total FROM orders o JOIN item i ON i.order_id = o.id GROUP BY o.day)
  ORDER BY day LIMIT 40;
SELECT id, name, rank() OVER (PARTITION BY city ORDER BY since DESC, id) AS r
  FROM customer WHERE id % 97 = 0 ORDER BY city, r LIMIT 50;
SELECT group_concat(name, ';') FROM (SELECT name FROM customer ORDER BY substr(name, -3), id LIMIT 300);

-- a rolled-back transaction and savepoints
BEGIN;
DELETE FROM item WHERE qty > 4;
UPDATE orders SET note = 'gone' WHERE id % 3 = 0;
SELECT count(*), sum(qty) FROM item;
ROLLBACK;
SELECT count(*), sum(qty) FROM item;
SELECT count(*) FROM orders WHERE note = 'gone';

BEGIN;
SAVEPOINT a;
UPDATE product SET price = price * 1.1 WHERE category = 'cat3';
SAVEPOINT b;
DELETE FROM item WHERE product_id IN (SELECT id FROM product WHERE category = 'cat4');
ROLLBACK TO b;
RELEASE a;
COMMIT;
SELECT round(sum(price), 4) FROM product;
SELECT count(*) FROM item;

-- updates and deletes that free pages
BEGIN;
UPDATE doc SET body = body || body WHERE id % 2 = 0;
DELETE FROM doc WHERE id % 3 = 0;
DELETE FROM item WHERE order_id IN (SELECT id FROM orders WHERE day > 300);
DELETE FROM orders WHERE day > 300;
UPDATE customer SET city = 'moved-' || city WHERE id % 11 = 0;
COMMIT;
SELECT count(*), sum(length(body)) FROM doc;
SELECT count(*), sum(qty) FROM item;
SELECT city, count(*) FROM customer WHERE city LIKE 'moved-%' GROUP BY city ORDER BY city LIMIT 10;

-- a foreign key refused
SELECT count(*) FROM orders WHERE customer_id NOT IN (SELECT id FROM customer);

PRAGMA integrity_check;
PRAGMA foreign_key_check;
VACUUM;
PRAGMA integrity_check;
PRAGMA freelist_count;
SELECT name, type FROM sqlite_schema ORDER BY name;
