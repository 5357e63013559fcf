/**
 * HTML for the history view, one module per page: pure functions from read-model values to
 * complete documents — no scripts, no external assets, every scraped string escaped. Links come
 * from a `PageLinks` so the same pages can be served live or written out as a static site.
 */
export {
  type CompareParams,
  type MapLinkOptions,
  type PageLinks,
  redlineHtml,
  serverLinks,
} from "./layout.js";
export { renderClausePage } from "./page-clause.js";
export { renderComparePage } from "./page-compare.js";
export { renderMapPage } from "./page-map.js";
export { renderPlanPage, VERSIONS_PER_PAGE } from "./page-plan.js";
export { renderErrorPage, renderPlansPage } from "./page-plans.js";
export { renderSearchPage } from "./page-search.js";
export { renderSourcePage } from "./page-source.js";
export { renderVersionPage } from "./page-version.js";
