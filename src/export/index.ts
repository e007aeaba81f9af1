// Machine exports derived from the result records.
export {
  intelmqEvent,
  intelmqLine,
  intelmqTime,
  identifierOf,
  INTELMQ_FILE,
  INTELMQ_IDENTIFIERS,
  type IntelMqEvent,
  type IntelMqRunInfo,
  type IntelMqIdentifier,
} from './intelmq.js';
