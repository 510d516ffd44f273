/* ph-plugin-view.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ph-json-path.h"

G_BEGIN_DECLS

/* A column or detail field of a declarative view. */
typedef struct {
  char       *name;
  PhJsonPath *path;
} PhPluginField;

#define PH_TYPE_PLUGIN_VIEW (ph_plugin_view_get_type ())
G_DECLARE_FINAL_TYPE (PhPluginView, ph_plugin_view, PH, PLUGIN_VIEW, GObject)

/* Parses a view YAML file:
 *
 *   kind: Widget
 *   group: demo.porthole.io      # "" for the core group
 *   version: v1
 *   resource: widgets
 *   namespaced: true
 *   title: Widgets
 *   sidebar: { group: Demo }
 *   columns: [ { name: Size, jsonPath: .spec.size }, … ]
 *   details: [ { name: Owner, jsonPath: .spec.owner }, … ]
 */
PhPluginView *ph_plugin_view_new_from_file   (const char    *plugin,
                                              const char    *path,
                                              GError       **error);
PhPluginView *ph_plugin_view_new_from_data   (const char    *plugin,
                                              const char    *where,
                                              const char    *data,
                                              gsize          length,
                                              GError       **error);
const char   *ph_plugin_view_get_plugin      (PhPluginView  *self);
const char   *ph_plugin_view_get_kind        (PhPluginView  *self);
const char   *ph_plugin_view_get_group       (PhPluginView  *self);
const char   *ph_plugin_view_get_version     (PhPluginView  *self);
const char   *ph_plugin_view_get_resource    (PhPluginView  *self);
gboolean      ph_plugin_view_get_namespaced  (PhPluginView  *self);
const char   *ph_plugin_view_get_title       (PhPluginView  *self);
const char   *ph_plugin_view_get_sidebar_group (PhPluginView *self);
GPtrArray    *ph_plugin_view_get_columns     (PhPluginView  *self);
GPtrArray    *ph_plugin_view_get_details     (PhPluginView  *self);
/* One text per column for @object, "<none>" where nothing matches, as
 * kubectl's custom-columns prints it. */
GStrv         ph_plugin_view_format_row      (PhPluginView  *self,
                                              JsonNode      *object);
/* The same from an object's raw JSON (e.g. ph_object_get_json()); NULL
 * when it does not parse. */
GStrv         ph_plugin_view_format_row_json (PhPluginView  *self,
                                              GBytes        *json);
/* The detail fields as label/value pairs (even length), "<none>" where
 * nothing matches. */
GStrv         ph_plugin_view_format_details  (PhPluginView  *self,
                                              JsonNode      *object);

G_END_DECLS
