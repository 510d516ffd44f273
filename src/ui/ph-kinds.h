/* ph-kinds.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ph-plugin-view.h"

G_BEGIN_DECLS

/* The columns a resource list can show.  Each has a cell template and a
 * sort key taken straight from PhObject's fields. */
typedef enum {
  PH_COLUMN_NAME,
  PH_COLUMN_NAMESPACE,
  PH_COLUMN_CLUSTER,
  PH_COLUMN_READY,
  PH_COLUMN_STATUS,
  PH_COLUMN_RESTARTS,
  PH_COLUMN_AGE,
  PH_COLUMN_NODE,
  PH_COLUMN_EXTRA,     /* a kind-specific field read from the object's JSON */
  PH_COLUMN_JSONPATH,  /* a plugin view's column: "<none>" when nothing matches */
} PhColumnType;

typedef struct
{
  PhColumnType  type;
  const char   *title;     /* untranslated; the view translates */
  /* PH_COLUMN_EXTRA: "@column-id", a dotted path ("status.phase") or a
   * kubectl JSONPath (starting with '.', '{' or '$'); PH_COLUMN_JSONPATH:
   * a JSONPath. */
  const char   *field;
  gboolean      expand;
  /* Pixels to start with for a column whose values run long (a type, a
   * provisioner, an object reference), or 0 to size it by its cells;
   * the user can still resize it. */
  int           width;
} PhColumnInfo;

/* A resource kind the sidebar offers. */
#define PH_TYPE_KIND (ph_kind_get_type ())
G_DECLARE_FINAL_TYPE (PhKind, ph_kind, PH, KIND, GObject)

const char         *ph_kind_get_section      (PhKind *self);
const char         *ph_kind_get_title        (PhKind *self);
const char         *ph_kind_get_group        (PhKind *self);
const char         *ph_kind_get_version      (PhKind *self);
const char         *ph_kind_get_resource     (PhKind *self);
const char         *ph_kind_get_kind         (PhKind *self);
gboolean            ph_kind_get_namespaced   (PhKind *self);
/* "pods" for the core group, "deployments.apps" otherwise. */
const char         *ph_kind_get_id           (PhKind *self);
const PhColumnInfo *ph_kind_get_columns      (PhKind *self,
                                              guint  *n_columns);

/* The built-in kinds in sidebar order (a GListModel of PhKind). */
GListModel         *ph_kinds_get_builtin     (void);
PhKind             *ph_kinds_lookup_builtin  (const char *id);
/* A custom resource found by discovery: Name, Namespace (if namespaced),
 * Age. */
PhKind             *ph_kind_new_custom       (const char *group,
                                              const char *version,
                                              const char *resource,
                                              const char *kind,
                                              gboolean    namespaced);
gboolean            ph_kinds_is_builtin_group (const char *group);
/* Replaces the columns of a custom kind with its CRD's
 * additionalPrinterColumns (a JSON array of {name, type, jsonPath}):
 * Name, Namespace, then those columns. */
void                ph_kind_set_printer_columns (PhKind    *self,
                                                 JsonArray *columns);
/* The list of a plugin's declarative view: Name, Namespace (if
 * namespaced), the view's columns, Age; it sits in the sidebar section
 * the view names.  Its id ("plugin:NAME/RESOURCE.GROUP") differs from the
 * plain custom resource's, so both can be listed. */
PhKind             *ph_kind_new_for_plugin_view (PhPluginView *view);
/* The plugin view behind the kind, or NULL. */
PhPluginView       *ph_kind_get_plugin_view  (PhKind    *self);

G_END_DECLS
