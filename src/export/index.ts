// Machine exports derived from the result records.
export {
  intelmqEvent,
  intelmqLine,
  intelmqTime,
  identifierOf,
  isFinalBuild,
  severityOf,
  INTELMQ_DOCUMENTATION,
  INTELMQ_FILE,
  INTELMQ_IDENTIFIERS,
  type IntelMqEvent,
  type IntelMqOptions,
  type IntelMqSeverity,
  type IntelMqRunInfo,
  type IntelMqIdentifier,
} from './intelmq.js';
