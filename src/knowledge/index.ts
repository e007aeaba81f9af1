// Loading the knowledge base at the edge (files, the home directory, the environment).
export { loadKnowledgeBase } from './load.js';
export { loadKnowledgeBaseAsync } from './load-async.js';
export { DEFAULT_DATA_DIR, type KnowledgeOptions } from './read.js';
export { defaultUserDataDir } from './user-data-dir.js';
