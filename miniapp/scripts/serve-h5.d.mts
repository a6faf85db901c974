import type http from 'node:http';

export function startH5Server(opts: {
  port: number;
  host?: string;
  root: string;
  bffUrl: string;
  mockUrl: string;
}): Promise<{ server: http.Server; url: string }>;
