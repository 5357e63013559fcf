/** Contract of the extract stage: HTML (or text) in, ordered `TextBlock[]` out. */

/** Per-source hints that narrow what the extractor reads from a page. */
export interface ExtractOptions {
  /**
   * CSS selector of the content to extract. Every match is read, in document order, and main-content
   * detection is skipped. A selector that matches nothing is an error: the page layout has changed.
   * @default undefined (the main content is detected)
   */
  select?: string;
  /**
   * CSS selectors of elements to remove before anything else (site-specific boilerplate the
   * built-in rules miss). Selectors that match nothing are fine.
   * @default []
   */
  ignore?: string[];
  /**
   * The page's name in error messages (a source id, file or URL).
   * @default "page"
   */
  source?: string;
}
