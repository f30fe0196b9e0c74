/**
 * Preloaded after tsx into the coordinator child: tsx turns source-mapped stack traces on, which
 * makes every `new Error().stack` (Sequelize reads one per query) costly; production runs
 * `node dist/…` without them, so the bench turns them off again unless `--source-maps` is given.
 */
process.setSourceMapsEnabled(false);
export {};
