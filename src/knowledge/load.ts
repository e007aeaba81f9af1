// Loading the knowledge base at the edge, synchronously: the files read by read.ts, validated and
// merged by classify/ (knowledge-build.ts, through the zod schemas). classify/ stays pure.
import type { KnowledgeBase } from '../classify/knowledge-base.js';
import { buildKnowledgeBase } from '../classify/knowledge-build.js';
import {
  cachedKnowledgeBase,
  knowledgeRequest,
  readKnowledgeSources,
  rememberKnowledgeBase,
  type KnowledgeOptions,
} from './read.js';

/**
 * Loads and indexes the knowledge base, once per pair of directories and content of the overlay.
 * Synchronous. `userDataDir` omitted: the default user data directory (defaultUserDataDir()), so
 * that every command sees what `data update` wrote; null: the shipped data alone. The package's own
 * data is taken as it is (the test suite checks it against the schemas); any other data directory
 * and every overlay file are validated.
 */
export function loadKnowledgeBase(opts: KnowledgeOptions = {}): KnowledgeBase {
  const req = knowledgeRequest(opts);
  const cached = cachedKnowledgeBase(req);
  if (cached !== undefined) return cached;
  return rememberKnowledgeBase(req, buildKnowledgeBase(readKnowledgeSources(req), { checked: req.shipped }));
}
