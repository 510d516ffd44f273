/* ph-object.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ph-kube-types.h"

G_BEGIN_DECLS

/* One Kubernetes object as a list shows it: the raw JSON of its latest
 * version plus the fields views sort, filter and display, extracted by a
 * streaming scan (no JsonNode tree on the hot path).  A MODIFIED event
 * updates the same PhObject in place and notifies only the properties
 * whose value changed. */

#define PH_TYPE_OBJECT (ph_object_get_type ())
G_DECLARE_FINAL_TYPE (PhObject, ph_object, PH, OBJECT, GObject)

const char *ph_object_get_uid                (PhObject *self);
const char *ph_object_get_name               (PhObject *self);
const char *ph_object_get_namespace          (PhObject *self); /* "" if cluster-scoped */
const char *ph_object_get_resource_version   (PhObject *self);
const char *ph_object_get_kind               (PhObject *self);
/* The context name of the cluster this object came from. */
const char *ph_object_get_context            (PhObject *self);
/* Unix seconds of metadata.creationTimestamp, 0 if unknown. */
gint64      ph_object_get_creation_timestamp (PhObject *self);
/* "key=value" pairs of metadata.labels, sorted; never NULL. */
const char * const *ph_object_get_labels     (PhObject *self);

/* Kind-specific display fields, like kubectl's columns.  Pods: status
 * ("Running", "CrashLoopBackOff", "Terminating"...), ready ("1/2"),
 * restarts, node.  Deployments/ReplicaSets/StatefulSets: ready ("3/3"),
 * plus up-to-date and available through ph_object_get_column.  Empty
 * strings / 0 when a kind has no such field. */
const char *ph_object_get_status             (PhObject *self);
const char *ph_object_get_ready              (PhObject *self);
gint64      ph_object_get_restarts           (PhObject *self);
const char *ph_object_get_node               (PhObject *self);

/* Any display column by id: the properties above ("status", "ready",
 * "restarts", "node", "name", "namespace", "uid", "kind",
 * "resource-version") and kind-specific ones: deployments "up-to-date",
 * "available"; replicasets "desired", "current"; daemonsets "desired",
 * "current", "up-to-date", "available"; services "type", "cluster-ip",
 * "external-ip", "ports"; nodes "roles", "version"; events "type",
 * "reason", "object", "message", "last-seen"; configmaps "data"; secrets
 * "type", "data"; jobs "completions", "active"; cronjobs "schedule",
 * "suspend", "active", "last-schedule"; pods "ip".  NULL for a column the
 * kind does not have.  Changes of kind-specific columns are announced by
 * the detailed signal "column-changed::ID". */
const char *ph_object_get_column             (PhObject   *self,
                                              const char *column_id);

/* The raw JSON of the current version (immutable snapshot).  Transfer
 * none: a MODIFIED event replaces it, so take a reference to keep it. */
GBytes     *ph_object_get_json               (PhObject *self);
/* Parses the current JSON on demand (details, YAML).  Transfer full. */
JsonNode   *ph_object_parse                  (PhObject *self,
                                              GError  **error);

G_END_DECLS
