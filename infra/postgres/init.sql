-- The services create the `splits` database and migrate it on start; nothing else is needed here.
SELECT 1;
