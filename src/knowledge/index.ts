// Loading the knowledge base at the edge (files, the home directory, the environment).
export { loadKnowledgeBase, DEFAULT_DATA_DIR } from './load.js';
export { defaultUserDataDir } from './user-data-dir.js';
