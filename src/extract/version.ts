/** Bump when the output for the same HTML changes; stored with snapshots so old ones can be re-extracted. */
export const EXTRACTOR_VERSION = "2";
