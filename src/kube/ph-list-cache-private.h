/* ph-list-cache-private.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ph-list-cache.h"

G_BEGIN_DECLS

typedef struct {
  PhWatchStrategy strategy;
  guint           page_size;          /* items per LIST page */
  guint           watch_timeout_min;  /* seconds; timeoutSeconds is uniform in [min, max) */
  guint           watch_timeout_max;
  gboolean        streaming_list;     /* try sendInitialEvents before paged LIST */
  guint           max_streams;        /* multiplexed: streams the server allows per
                                       * connection; 0: no limit */
  gboolean        inline_scan;        /* scan small chunks on the calling thread
                                       * while the worker is idle */
} PhListCacheOptions;

/* Only PhWatchHub creates, starts and stops caches. */
PhListCache *ph_list_cache_new                (PhQuery                  *query,
                                               const PhListCacheOptions *options);
void         ph_list_cache_start              (PhListCache              *self);
/* Cancels what is in flight (also a connect) and closes the upstream. */
void         ph_list_cache_stop               (PhListCache              *self);
/* TRUE while a list or watch request or socket is open or opening. */
gboolean     ph_list_cache_get_upstream_open  (PhListCache              *self);
/* How many list requests and watch connections this cache opened; for
 * tests ("re-watch without relist"). */
guint        ph_list_cache_get_n_lists        (PhListCache              *self);
guint        ph_list_cache_get_n_watches      (PhListCache              *self);
/* Watch streams the caches have open on @cluster's HTTP/2 connection. */
guint        ph_list_cache_count_watch_streams (PhCluster               *cluster);
/* The most chunks of a stream that were ever read but not yet applied
 * (reading pauses at a few), for tests. */
guint        ph_list_cache_get_max_backlog    (PhListCache              *self);
/* Watch events (ADDED, MODIFIED, DELETED) received, for benchmarks. */
guint64      ph_list_cache_get_n_events       (PhListCache              *self);

/* Unit-test entry points: parse on the calling thread and apply as a
 * network response would be.  A list ends with a page without continue
 * token; then objects not seen since @first_page are removed. */
gboolean     ph_list_cache_feed_list_page     (PhListCache              *self,
                                               const char               *json,
                                               gsize                     len,
                                               gboolean                  first_page,
                                               GError                  **error);
/* Newline-separated watch events, as a watch stream carries them. */
gboolean     ph_list_cache_feed_watch_data    (PhListCache              *self,
                                               const char               *data,
                                               gsize                     len,
                                               GError                  **error);

G_END_DECLS
