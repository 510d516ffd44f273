// h2-proxy.js
//
// Copyright 2026 The Porthole Authors
//
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A counting proxy in front of the simulated API server, for tests that
// must see connections from the outside.
//
//   node h2-proxy.js --mode h2 --target http://127.0.0.1:PORT --cert C --key K
//                    [--max-streams N]
//     TLS with ALPN h2 (and http/1.1), forwarding every request or stream
//     to the target over HTTP/1.1; N concurrent streams per connection
//     (default 100, as the apiserver).
//   node h2-proxy.js --mode tcp --target http://127.0.0.1:PORT
//     plain TCP relay that recognises WebSocket upgrades.
//
// Once listening it prints one line "PORT <proxy-port> STATS <stats-port>";
// GET http://127.0.0.1:<stats-port>/stats answers the counters as JSON.
// Everything binds to 127.0.0.1.  It exits when stdin closes.

'use strict';

const fs = require('fs');
const http = require('http');
const http2 = require('http2');
const net = require('net');

const args = {};
for (let i = 2; i < process.argv.length; i += 2)
  args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];

const target = new URL(args.target);
const stats = {
  connections_total: 0,
  connections_open: 0,
  h2_connections_total: 0,
  http1_connections_total: 0,
  streams_total: 0,
  streams_open: 0,
  max_streams_open: 0,
  websockets_total: 0,
  websockets_open: 0,
};

function trackConnection(socket) {
  stats.connections_total++;
  stats.connections_open++;
  socket.on('close', () => { stats.connections_open--; });
}

// Headers that belong to one hop (RFC 9113 §8.2.2, RFC 9110 §7.6.1).
const hopHeaders = new Set(['connection', 'keep-alive', 'proxy-connection',
  'transfer-encoding', 'upgrade', 'te', 'host', 'http2-settings']);

function forwardHeaders(headers) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(':') || hopHeaders.has(name))
      continue;
    out[name] = value;
  }
  return out;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

function proxyRequest(req, res) {
  const isH2 = req.httpVersionMajor === 2;
  if (isH2) {
    stats.streams_total++;
    stats.streams_open++;
    stats.max_streams_open = Math.max(stats.max_streams_open, stats.streams_open);
    res.on('close', () => { stats.streams_open--; });
  }

  const upstream = http.request({
    host: target.hostname,
    port: target.port,
    method: req.method,
    path: req.url,
    headers: forwardHeaders(req.headers),
    agent,
  }, (up) => {
    res.writeHead(up.statusCode, forwardHeaders(up.headers));
    if (typeof res.flushHeaders === 'function')
      res.flushHeaders();
    up.on('data', (chunk) => { res.write(chunk); });
    up.on('end', () => { res.end(); });
    up.on('error', () => { res.destroy(); });
  });
  upstream.on('error', () => {
    if (!res.headersSent)
      res.writeHead(502);
    res.end();
  });
  // The client leaving ends the upstream request too, so that the
  // server sees the watch close.
  res.on('close', () => { upstream.destroy(); });
  req.pipe(upstream);
}

function startH2(ready) {
  const server = http2.createSecureServer({
    key: fs.readFileSync(args.key),
    cert: fs.readFileSync(args.cert),
    allowHTTP1: true,
    // Like the apiserver; a test may lower it to see what happens at the limit.
    settings: { maxConcurrentStreams: Number(args['max-streams'] || 100) },
  });
  server.on('secureConnection', (socket) => {
    trackConnection(socket);
    if (socket.alpnProtocol === 'h2')
      stats.h2_connections_total++;
    else
      stats.http1_connections_total++;
  });
  server.on('request', proxyRequest);
  // WebSocket upgrades arrive over HTTP/1.1 (ALPN http/1.1): relay the
  // request head and then the raw bytes both ways.
  server.on('upgrade', (req, socket, head) => {
    stats.websockets_total++;
    stats.websockets_open++;
    const upstream = net.connect(Number(target.port), target.hostname, () => {
      let raw = `${req.method} ${req.url} HTTP/1.1\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        raw += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
      upstream.write(raw + '\r\n');
      if (head && head.length)
        upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    let open = true;
    const close = () => {
      if (open) {
        open = false;
        stats.websockets_open--;
      }
      socket.destroy();
      upstream.destroy();
    };
    socket.on('close', close);
    socket.on('error', close);
    upstream.on('close', close);
    upstream.on('error', close);
  });
  server.listen(0, '127.0.0.1', () => ready(server.address().port));
}

function startTcp(ready) {
  const server = net.createServer((client) => {
    trackConnection(client);
    const upstream = net.connect(Number(target.port), target.hostname);
    let first = true;
    let isWebsocket = false;
    client.on('data', (chunk) => {
      if (first) {
        first = false;
        if (/^upgrade:\s*websocket/im.test(chunk.toString('latin1'))) {
          isWebsocket = true;
          stats.websockets_total++;
          stats.websockets_open++;
        } else {
          stats.http1_connections_total++;
        }
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => { client.write(chunk); });
    const close = () => {
      if (isWebsocket) {
        isWebsocket = false;
        stats.websockets_open--;
      }
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close);
    client.on('error', close);
    upstream.on('close', close);
    upstream.on('error', close);
  });
  server.listen(0, '127.0.0.1', () => ready(server.address().port));
}

const statsServer = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(stats));
});

statsServer.listen(0, '127.0.0.1', () => {
  const start = args.mode === 'tcp' ? startTcp : startH2;
  start((port) => {
    process.stdout.write(`PORT ${port} STATS ${statsServer.address().port}\n`);
  });
});

process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
