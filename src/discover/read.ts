/** The read side of discovery: what the plan's feeds found, from their source states. */
import type { SourceConfig } from "../config/index.js";
import type { SnapshotStore } from "../store/index.js";
import { type DiscoveredArticle, discoveryOf } from "./state.js";

/** An article found by one of the plan's feeds, with the feed that found it. */
export type DiscoveredEntry = DiscoveredArticle & { feed: string };

/** Every article the plan's discovery sources found, newest first. */
export async function discoveredArticles(
  store: Pick<SnapshotStore, "getSourceState">,
  sources: Pick<SourceConfig, "id" | "plan" | "discover">[],
  planId: string,
): Promise<DiscoveredEntry[]> {
  const found: DiscoveredEntry[] = [];
  for (const source of sources) {
    if (source.plan !== planId || !source.discover) continue;
    const state = await store.getSourceState(source.id);
    if (!state) continue;
    for (const article of discoveryOf(state).articles) found.push({ ...article, feed: source.id });
  }
  return found.sort((a, b) => b.discoveredAt.localeCompare(a.discoveredAt));
}
