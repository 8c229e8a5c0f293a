/**
 * PostgreSQL suites run when ONELOCK_TEST_DATABASE_URL is set. Locally they are skipped with a
 * clear reason; under CI=true a missing URL is a failure, so CI can never silently skip them.
 */
import { PG_URL } from '../harness.ts';

export function pgSkip(): string | false {
  if (PG_URL) return false;
  if (process.env.CI === 'true') throw new Error('CI=true but ONELOCK_TEST_DATABASE_URL is not set: the PostgreSQL suite must run in CI');
  const why = 'PostgreSQL suite skipped: set ONELOCK_TEST_DATABASE_URL=postgres://… to run it';
  console.log(`# ${why}`);
  return why;
}
