// Types of the undici modules undici-parts.ts loads by path: each is the object the package index
// exports under that name (test/undici-parts.test.ts).
declare module 'undici/lib/dispatcher/client.js' {
  import type { Client } from 'undici';
  const client: typeof Client;
  export default client;
}
declare module 'undici/lib/core/connect.js' {
  import type { buildConnector } from 'undici';
  const connect: typeof buildConnector;
  export default connect;
}
declare module 'undici/lib/core/errors.js' {
  import type { errors } from 'undici';
  const all: typeof errors;
  export default all;
}
declare module 'undici/lib/core/util.js' {
  import type { util } from 'undici';
  const some: typeof util;
  export default some;
}
