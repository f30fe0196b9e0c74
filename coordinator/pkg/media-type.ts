/** Content type of a package file upload (`POST /api/v1/packages`), from the CLI and from the admin UI. */
export const PACKAGE_CONTENT_TYPE = 'application/vnd.homing.package';
