/* ph-watch-hub.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ph-kube-types.h"

G_BEGIN_DECLS

/* Owns one upstream list+watch per distinct PhQuery, shared by every
 * consumer of that query.  acquire/release count consumers; the upstream
 * watch stops when the last consumer releases (also while connecting),
 * or "linger-seconds" later if that is set: meanwhile the cache stays
 * live and an acquire of the same query gets it back as it is.  A
 * lingering cache gives up its HTTP/2 stream when a new cache of its
 * cluster would otherwise need a WebSocket.
 *
 * Properties, for caches created after they are set: "strategy"
 * (construct-only), "page-size" (LIST limit, 500), "watch-timeout"
 * (seconds; 0 = uniform in [300, 600)), "streaming-list" (try
 * sendInitialEvents first, TRUE) and "max-streams-per-connection"
 * (multiplexed: HTTP/2 streams the server allows per connection, 100;
 * libsoup would queue streams past it forever, so further watches of
 * that cluster travel as WebSockets). */

#define PH_TYPE_WATCH_HUB (ph_watch_hub_get_type ())
G_DECLARE_FINAL_TYPE (PhWatchHub, ph_watch_hub, PH, WATCH_HUB, GObject)

#define PH_TYPE_WATCH_STRATEGY (ph_watch_strategy_get_type ())
GType            ph_watch_strategy_get_type       (void) G_GNUC_CONST;

PhWatchHub      *ph_watch_hub_new                 (PhWatchStrategy  strategy);
PhWatchStrategy  ph_watch_hub_get_strategy        (PhWatchHub      *self);
/* Returns a new reference to the shared cache of @query and counts one
 * consumer; starts the upstream list+watch for the first one. */
PhListCache     *ph_watch_hub_acquire             (PhWatchHub      *self,
                                                   PhQuery         *query);
/* Drops one consumer of @cache (the caller still drops its own ref). */
void             ph_watch_hub_release             (PhWatchHub      *self,
                                                   PhListCache     *cache);
/* Number of upstream watch connections currently open or opening,
 * lingering ones included. */
guint            ph_watch_hub_get_n_upstream      (PhWatchHub      *self);

gboolean         ph_watch_strategy_from_string    (const char      *str,
                                                   PhWatchStrategy *out_strategy);
const char      *ph_watch_strategy_to_string      (PhWatchStrategy  strategy);

G_END_DECLS
