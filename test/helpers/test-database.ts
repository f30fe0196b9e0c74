export { createThrowawayDatabase as createTestDatabase, postgresReachable, type ThrowawayDatabase as TestDatabase } from '../../coordinator/db/throwaway-database.js';

/** The Postgres server tests run against, when `HOMING_TEST_DATABASE_URL` names one. */
export function testPostgresUrl(): string | undefined {
  const url = process.env.HOMING_TEST_DATABASE_URL;
  return url && /^postgres(ql)?:\/\//.test(url) ? url : undefined;
}
