/** The admin API client lives with the simulations (which ship); tests use the same one. */
export { createApiClient, type ApiAnswer, type ApiClient, type CallOptions } from '../../simulations/processes/api-client.js';
