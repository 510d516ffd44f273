/* ph-list-cache.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ph-kube-types.h"

G_BEGIN_DECLS

/* The live list of one PhQuery: a GListModel of PhObject kept true by a
 * list+watch loop with client-go Reflector semantics (DESIGN.md §3).
 * Obtained from PhWatchHub, never created directly by views.
 *
 * Properties (all notify explicitly): "query", "state" (PhCacheState),
 * "error-message" (string or NULL), "last-event-time" (gint64, real time
 * in µs of the last good event, 0 if none), "retry-time" (gint64, real
 * time in µs of the next reconnect attempt while reconnecting, else 0),
 * "synced-items" and "expected-items" (guint, progress of the initial
 * list; expected is 0 when unknown), "n-items". */

#define PH_TYPE_LIST_CACHE (ph_list_cache_get_type ())
G_DECLARE_FINAL_TYPE (PhListCache, ph_list_cache, PH, LIST_CACHE, GObject)

#define PH_TYPE_CACHE_STATE (ph_cache_state_get_type ())
GType         ph_cache_state_get_type            (void) G_GNUC_CONST;

PhQuery      *ph_list_cache_get_query            (PhListCache *self);
PhCacheState  ph_list_cache_get_state            (PhListCache *self);
const char   *ph_list_cache_get_error_message    (PhListCache *self);
const GError *ph_list_cache_get_error            (PhListCache *self);
gint64        ph_list_cache_get_last_event_time  (PhListCache *self);
gint64        ph_list_cache_get_retry_time       (PhListCache *self);
guint         ph_list_cache_get_synced_items     (PhListCache *self);
guint         ph_list_cache_get_expected_items   (PhListCache *self);
/* O(1); transfer none. */
PhObject     *ph_list_cache_lookup               (PhListCache *self,
                                                  const char  *uid);
/* Skips the backoff wait and reconnects (relists if stale) now. */
void          ph_list_cache_retry                (PhListCache *self);
/* Lists afresh and reconciles, keeping the objects that are still there
 * (what a user's Refresh asks for); then watches again. */
void          ph_list_cache_relist               (PhListCache *self);

const char   *ph_cache_state_to_string           (PhCacheState state);

G_END_DECLS
