import { AppError } from '../errors.js';

/** A mesh exchange failed: bad framing, an unknown answer, or a missing chunk. */
export class MeshError extends AppError {
  constructor(code: 'MESH_FRAME_INVALID' | 'MESH_FRAME_TOO_LARGE' | 'MESH_NO_RESPONSE' | 'MESH_CHUNK_UNAVAILABLE', message: string) {
    super(code, message, 502);
  }
}
