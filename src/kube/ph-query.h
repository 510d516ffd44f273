/* ph-query.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ph-kube-types.h"

G_BEGIN_DECLS

/* What one list shows: a cluster, a resource, a namespace (NULL: all) and
 * selectors.  Immutable and refcounted; equal queries share one upstream
 * watch in PhWatchHub.  The key never contains a resourceVersion. */

#define PH_TYPE_QUERY (ph_query_get_type ())

GType       ph_query_get_type           (void) G_GNUC_CONST;
PhQuery    *ph_query_new                (PhCluster   *cluster,
                                         const char  *group,
                                         const char  *version,
                                         const char  *resource,
                                         const char  *namespace_,
                                         const char  *label_selector,
                                         const char  *field_selector);
PhQuery    *ph_query_ref                (PhQuery     *self);
void        ph_query_unref              (PhQuery     *self);
guint       ph_query_hash               (gconstpointer self);
gboolean    ph_query_equal              (gconstpointer a,
                                         gconstpointer b);
PhCluster  *ph_query_get_cluster        (PhQuery     *self);
const char *ph_query_get_group          (PhQuery     *self);
const char *ph_query_get_version        (PhQuery     *self);
const char *ph_query_get_resource       (PhQuery     *self);
const char *ph_query_get_namespace      (PhQuery     *self); /* NULL = all */
const char *ph_query_get_label_selector (PhQuery     *self);
const char *ph_query_get_field_selector (PhQuery     *self);
/* "/api/v1/namespaces/ns/pods" or "/apis/apps/v1/deployments" */
char       *ph_query_build_path         (PhQuery     *self);
/* "&labelSelector=…&fieldSelector=…" (escaped; empty when none), to
 * append to a query string. */
char       *ph_query_build_selector_params (PhQuery  *self);
/* For logs and the CLI: "ctx/pods@ns?l=app%3Dx" */
char       *ph_query_to_string          (PhQuery     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhQuery, ph_query_unref)

G_END_DECLS
