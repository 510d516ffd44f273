/* ph-cluster-entry.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ph-kube-types.h"
#include "ph-kubeconfig.h"

G_BEGIN_DECLS

/* One kubeconfig context as the sidebar shows it: whether it is
 * selected, and how its connection is doing. */

typedef enum {
  PH_CLUSTER_STATUS_IDLE,          /* not selected, nothing known */
  PH_CLUSTER_STATUS_CONNECTING,
  PH_CLUSTER_STATUS_LIVE,
  PH_CLUSTER_STATUS_RECONNECTING,
  PH_CLUSTER_STATUS_ERROR,
  PH_CLUSTER_STATUS_BROKEN,        /* the kubeconfig entry cannot be used */
} PhClusterStatus;

#define PH_TYPE_CLUSTER_STATUS (ph_cluster_status_get_type ())
GType ph_cluster_status_get_type (void) G_GNUC_CONST;

#define PH_TYPE_CLUSTER_ENTRY (ph_cluster_entry_get_type ())
G_DECLARE_FINAL_TYPE (PhClusterEntry, ph_cluster_entry, PH, CLUSTER_ENTRY, GObject)

/* @cluster is NULL for a broken entry, which then has @error. */
PhClusterEntry  *ph_cluster_entry_new              (const char      *name,
                                                    const char      *server,
                                                    PhCluster       *cluster,
                                                    const char      *error);
/* A broken entry whose kubeconfig @problem is known: @error is the full
 * message, @field the field path it is about (nullable), as
 * ph_context_get_problem_field() gives it. */
PhClusterEntry  *ph_cluster_entry_new_broken       (const char      *name,
                                                    const char      *server,
                                                    const char      *error,
                                                    PhKubeconfigProblem problem,
                                                    const char      *field);
const char      *ph_cluster_entry_get_name         (PhClusterEntry  *self);
const char      *ph_cluster_entry_get_server       (PhClusterEntry  *self);
PhCluster       *ph_cluster_entry_get_cluster      (PhClusterEntry  *self);
const char      *ph_cluster_entry_get_error        (PhClusterEntry  *self);
/* PH_KUBECONFIG_PROBLEM_NONE unless the entry was made with one. */
PhKubeconfigProblem ph_cluster_entry_get_problem   (PhClusterEntry  *self);
const char      *ph_cluster_entry_get_problem_field (PhClusterEntry *self);
gboolean         ph_cluster_entry_get_selected     (PhClusterEntry  *self);
void             ph_cluster_entry_set_selected     (PhClusterEntry  *self,
                                                    gboolean         selected);
gboolean         ph_cluster_entry_get_usable       (PhClusterEntry  *self);
PhClusterStatus  ph_cluster_entry_get_status       (PhClusterEntry  *self);
/* Why the status is what it is, for the tooltip. */
const char      *ph_cluster_entry_get_status_reason (PhClusterEntry *self);
void             ph_cluster_entry_set_status       (PhClusterEntry  *self,
                                                    PhClusterStatus  status,
                                                    const char      *reason);

G_END_DECLS
