/**
 * Coverage discovery: a coverage source that is a feed or sitemap finds new articles about its
 * plan each cycle. `checkDiscoverySource` is the worker's check for such sources; the rest is the
 * read side and the pure parts (listing, relevance).
 */

export { checkDiscoverySource } from "./check-feed.js";
export { type Listing, type ListingEntry, type ListingKind, parseListing } from "./listing.js";
export { type DiscoveredEntry, discoveredArticles } from "./read.js";
export { canonicalUrl, declaredCanonical, judgeEntry, planVocabulary } from "./relevance.js";
export type { ArticleStatus, DiscoveredArticle, DiscoveryState } from "./state.js";
export { articleSourceId, feedOfArticle } from "./state.js";
