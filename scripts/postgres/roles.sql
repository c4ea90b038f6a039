-- The team store's two roles, least privilege. Run once as a superuser (or the database's owner)
-- in the database HookLens will use, before the first receiver starts, e.g.:
--   psql "$ADMIN_URL" -v writer_password="$(openssl rand -hex 24)" \
--        -v reader_password="$(openssl rand -hex 24)" -f scripts/postgres/roles.sql
--
-- hooklens_writer: receivers. Creates and migrates the HookLens tables at start, stores
--   deliveries and attempts, deletes and clears. Developers who record their replays use it too.
-- hooklens_reader: developers who follow the team store. Reads everything and follows the change
--   feed; sends replays to their own handler but cannot record them, delete or clear.
CREATE ROLE hooklens_writer LOGIN PASSWORD :'writer_password';
CREATE ROLE hooklens_reader LOGIN PASSWORD :'reader_password';

SELECT format('GRANT CONNECT ON DATABASE %I TO hooklens_writer, hooklens_reader', current_database())
\gexec

GRANT USAGE, CREATE ON SCHEMA public TO hooklens_writer;
GRANT USAGE ON SCHEMA public TO hooklens_reader;
-- Every table and sequence the writer creates (now and in later migrations) is readable by readers.
ALTER DEFAULT PRIVILEGES FOR ROLE hooklens_writer IN SCHEMA public
  GRANT SELECT ON TABLES TO hooklens_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE hooklens_writer IN SCHEMA public
  GRANT SELECT ON SEQUENCES TO hooklens_reader;
