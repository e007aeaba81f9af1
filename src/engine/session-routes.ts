// The origins one session talks to: the endpoint's own and the redirect hops to others, each with
// what does not change from request to request (Host and request headers, made once) and its
// undici Client once one is opened. session.ts opens the clients and closes what takeClients hands
// back.
import type { Client as UndiciClient } from 'undici';
import { originUrl, type ConnectTarget } from './connector.js';
import { hostHeader } from './http-util.js';
import { sameTarget } from './session-target.js';

/** Everything about one origin the session talks to that does not change from request to request. */
export interface Route {
  target: ConnectTarget;
  /** "https://mail.example" (named by the Host we send): what a response's `url` starts with. */
  urlPrefix: string;
  /** The request headers, one object for every request on the route (undici only reads them). */
  headers: Record<string, string>;
  client: UndiciClient | null;
}

export class SessionRoutes {
  private mainRoute: Route | null = null;
  /** Redirect hops to other origins, by origin and name. */
  private hops: Map<string, Route> | null = null;

  constructor(
    private readonly endpoint: ConnectTarget,
    private readonly userAgent: string,
  ) {}

  /** The endpoint's own origin. */
  main(): Route {
    return (this.mainRoute ??= this.routeTo(this.endpoint));
  }

  /** The route to a redirect's target: the endpoint's own when it is the same origin and name. */
  to(target: ConnectTarget): Route {
    if (sameTarget(target, this.endpoint)) return this.main();
    this.hops ??= new Map();
    const key = `${originUrl(target)}#${target.host ?? ''}`;
    let route = this.hops.get(key);
    if (route === undefined) {
      route = this.routeTo(target);
      this.hops.set(key, route);
    }
    return route;
  }

  /** Every client opened, for the session to close; the routes are forgotten. */
  takeClients(): UndiciClient[] {
    const all: UndiciClient[] = [];
    if (this.mainRoute?.client != null) all.push(this.mainRoute.client);
    for (const route of this.hops?.values() ?? []) if (route.client !== null) all.push(route.client);
    this.mainRoute = null;
    this.hops = null;
    return all;
  }

  private routeTo(target: ConnectTarget): Route {
    const host = hostHeader(target);
    return {
      target,
      urlPrefix: `${target.scheme}://${host}`,
      headers: { host, 'user-agent': this.userAgent, accept: '*/*' },
      client: null,
    };
  }
}
