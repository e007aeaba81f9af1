// loadKnowledgeBase() for a command that may need nothing but the package's own data (`classify`):
// the zod schemas (~70 ms and ~15 MB to load) are imported only when there is something to
// validate — a user overlay, or a data directory other than the shipped one.
import { buildShippedKnowledgeBase, type KnowledgeBase } from '../classify/knowledge-base.js';
import {
  cachedKnowledgeBase,
  knowledgeRequest,
  readKnowledgeSources,
  rememberKnowledgeBase,
  type KnowledgeOptions,
} from './read.js';

/** The same knowledge base as loadKnowledgeBase(opts), from the same cache. */
export async function loadKnowledgeBaseAsync(opts: KnowledgeOptions = {}): Promise<KnowledgeBase> {
  const req = knowledgeRequest(opts);
  const cached = cachedKnowledgeBase(req);
  if (cached !== undefined) return cached;
  const sources = readKnowledgeSources(req);
  if (req.shipped && Object.keys(sources.user).length === 0)
    return rememberKnowledgeBase(req, buildShippedKnowledgeBase(sources));
  const { buildKnowledgeBase } = await import('../classify/knowledge-build.js');
  return rememberKnowledgeBase(req, buildKnowledgeBase(sources, { checked: req.shipped }));
}
