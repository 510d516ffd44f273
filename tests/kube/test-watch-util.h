/* test-watch-util.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ph-cluster.h"
#include "ph-list-cache.h"
#include "ph-sim-server.h"

G_BEGIN_DECLS

/* Helpers shared by the network tests of the list caches. */

/* Call first in main(): drops the one warning libsoup's server gives
 * when a client hangs up mid-accept, which some tests do on purpose. */
void         wt_init_logging            (void);
PhSimServer *wt_sim_start               (guint         pods,
                                         guint         namespaces,
                                         guint64       seed,
                                         double        churn);
PhCluster   *wt_cluster_for             (PhSimServer  *sim,
                                         const char   *context_name);
/* Runs the main loop until @cond is true; aborts the test after a
 * generous deadline naming @what. */
void         wt_wait                    (gboolean    (*cond) (gpointer),
                                         gpointer      data,
                                         const char   *what);
void         wt_spin                    (guint         milliseconds);
void         wt_wait_live               (PhListCache  *cache);
/* "namespace/name uid rv" lines, sorted, as ph_sim_server_snapshot(). */
GPtrArray   *wt_cache_lines             (PhListCache  *cache);
char        *wt_diff                    (GPtrArray    *want,
                                         GPtrArray    *got);
void         wt_assert_cache_matches    (PhListCache  *cache,
                                         PhSimServer  *sim,
                                         const char   *resource,
                                         const char   *namespace_);
void         wt_wait_cache_matches      (PhListCache  *cache,
                                         PhSimServer  *sim,
                                         const char   *resource,
                                         const char   *namespace_);
/* Asserts that some object of @cache is gone from the server. */
void         wt_assert_churn_deleted    (PhSimServer  *sim,
                                         PhListCache  *cache);
/* Makes the server send a BOOKMARK to every watch. */
void         wt_sim_bookmark            (PhSimServer  *sim);
/* Open watches as the server counts them. */
guint        wt_server_watches          (PhSimServer  *sim);
void         wt_wait_server_watches     (PhSimServer  *sim,
                                         guint         n);

G_END_DECLS
