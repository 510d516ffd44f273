/* ph-sim-world.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ph-sim-store.h"

G_BEGIN_DECLS

/* The simulated cluster's own model of its objects (what a controller
 * manager and kubelets would keep), from which the objects in the store
 * are rendered as JSON.  Single-threaded: the server's thread only. */
typedef struct _PhSimWorld PhSimWorld;

PhSimWorld *ph_sim_world_new          (PhSimStore *store,
                                       guint64     seed,
                                       guint       pods,
                                       guint       namespaces);
void        ph_sim_world_free         (PhSimWorld *self);
/* One step of churn: a pod crashes or recovers, a deployment rolls out or
 * scales, an event is recorded.  Commits one or more store events.  Pods
 * the controllers create run their init container for a few steps
 * (Pending, "Init:0/1"); about half the pods they delete are Terminating
 * (deletionTimestamp set) for a few steps before they are DELETED.
 * Every few steps a CronJob starts a Job, which completes some steps
 * later; these draw from a generator of their own, so they leave the
 * pods' churn as it was. */
void        ph_sim_world_churn_step   (PhSimWorld *self);
/* Sets one extra label on a pod, as kubectl label would (in place: a
 * MODIFIED event).  FALSE if there is no such pod. */
gboolean    ph_sim_world_label_pod    (PhSimWorld *self,
                                       const char *namespace_,
                                       const char *name,
                                       const char *key,
                                       const char *value);
/* Deletes a pod the way the API would, and lets its ReplicaSet replace
 * it.  FALSE if there is no such pod. */
gboolean    ph_sim_world_delete_pod   (PhSimWorld *self,
                                       const char *namespace_,
                                       const char *name);
/* Sets the replicas of a deployment (scaling its pods).  FALSE if there is
 * no such deployment. */
gboolean    ph_sim_world_scale_deployment (PhSimWorld *self,
                                           const char *namespace_,
                                           const char *name,
                                           guint       replicas);

/* Formats a duration the way kubectl prints ages ("5d", "3h12m", "45s"). */
char       *ph_sim_format_age         (gint64      seconds);

G_END_DECLS
