/* ph-plugin-loader.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ph-plugin-registry.h"
#include "ph-plugin-view.h"

G_BEGIN_DECLS

/* A detail section a native module contributes. */
typedef struct _PhPluginDetailSection PhPluginDetailSection;

const char *ph_plugin_detail_section_get_plugin (const PhPluginDetailSection *self);
const char *ph_plugin_detail_section_get_id     (const PhPluginDetailSection *self);
const char *ph_plugin_detail_section_get_title  (const PhPluginDetailSection *self);
gboolean    ph_plugin_detail_section_applies_to (const PhPluginDetailSection *self,
                                                 const char                  *group,
                                                 const char                  *kind);
/* The rows as label/value pairs (even length), or NULL when the section
 * does not apply to @object_json. */
GStrv       ph_plugin_detail_section_render     (const PhPluginDetailSection *self,
                                                 const char                  *object_json,
                                                 gsize                        length);

typedef enum {
  PH_PLUGIN_STATE_LOADED,
  PH_PLUGIN_STATE_DISABLED,
  PH_PLUGIN_STATE_FAILED,
} PhPluginState;

#define PH_TYPE_PLUGIN_LOADER (ph_plugin_loader_get_type ())
G_DECLARE_FINAL_TYPE (PhPluginLoader, ph_plugin_loader, PH, PLUGIN_LOADER, GObject)

/* @dirs: PhPluginDir in priority order, or NULL for the default folders. */
PhPluginLoader *ph_plugin_loader_new              (GPtrArray           *dirs);
void            ph_plugin_loader_set_porthole_version (PhPluginLoader  *self,
                                                   const char          *version);
void            ph_plugin_loader_set_disabled     (PhPluginLoader      *self,
                                                   const char * const  *names);
/* Discovers and loads every plugin once; failures are recorded per plugin
 * and never abort the others. */
void            ph_plugin_loader_load             (PhPluginLoader      *self);
GPtrArray      *ph_plugin_loader_get_plugins      (PhPluginLoader      *self);
PhPluginState   ph_plugin_loader_get_state        (PhPluginLoader      *self,
                                                   const char          *name,
                                                   const char         **message);
GPtrArray      *ph_plugin_loader_get_views        (PhPluginLoader      *self);
GPtrArray      *ph_plugin_loader_get_detail_sections (PhPluginLoader   *self);

G_END_DECLS
