// Loading the knowledge base at the edge (files, the home directory, the environment).
export { loadKnowledgeBase, defaultUserDataDir, DEFAULT_DATA_DIR } from './load.js';
