/** Have-lists: "which chunks of package P do you hold?" answered with a bitfield over the manifest's chunk list. */
export const HAVE_PROTOCOL = '/homing/have/1.0.0';
/** Chunk transfer: one request frame (digest + package), one response frame (status byte + bytes). */
export const CHUNK_PROTOCOL = '/homing/chunks/1.0.0';
/** Announcements: a peer pushes its updated have-lists after storing new chunks, as frames on one long-lived stream. */
export const ANNOUNCE_PROTOCOL = '/homing/announce/1.0.0';

/** Largest control frame (requests, have-lists, announcements). */
export const MAX_CONTROL_FRAME = 1024 * 1024;
