import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

/** zod with `.openapi()` metadata enabled; every schema module imports `z` from here. */
export { z };
