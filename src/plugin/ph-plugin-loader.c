/* ph-plugin-loader.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <gmodule.h>

#include "porthole-plugin.h"
#include "ph-plugin-installer.h"
#include "ph-plugin-loader.h"
#include "ph-semver.h"

struct _PhPluginDetailSection
{
  char                     *plugin;
  char                     *id;
  char                     *title;
  char                     *group;
  char                     *kind;
  PortholeDetailRenderFunc  render;
  void                     *user_data;
};

typedef struct {
  PhPluginState  state;
  char          *message;
} PluginStatus;

struct _PhPluginLoader
{
  GObject      parent_instance;

  GPtrArray   *dirs;
  char        *porthole_version;
  GStrv        disabled;
  GPtrArray   *plugins;   /* of PhInstalledPlugin */
  GHashTable  *status;    /* name → PluginStatus */
  GPtrArray   *views;     /* of PhPluginView */
  GPtrArray   *sections;  /* of PhPluginDetailSection */
  gboolean     loaded;
};

G_DEFINE_FINAL_TYPE (PhPluginLoader, ph_plugin_loader, G_TYPE_OBJECT)

static void
section_free (PhPluginDetailSection *section)
{
  g_free (section->plugin);
  g_free (section->id);
  g_free (section->title);
  g_free (section->group);
  g_free (section->kind);
  g_free (section);
}

static void
status_free (PluginStatus *status)
{
  g_free (status->message);
  g_free (status);
}

static void
ph_plugin_loader_finalize (GObject *object)
{
  PhPluginLoader *self = (PhPluginLoader *) object;

  g_clear_pointer (&self->dirs, g_ptr_array_unref);
  g_free (self->porthole_version);
  g_strfreev (self->disabled);
  g_clear_pointer (&self->plugins, g_ptr_array_unref);
  g_clear_pointer (&self->status, g_hash_table_unref);
  g_clear_pointer (&self->views, g_ptr_array_unref);
  g_clear_pointer (&self->sections, g_ptr_array_unref);

  G_OBJECT_CLASS (ph_plugin_loader_parent_class)->finalize (object);
}

static void
ph_plugin_loader_class_init (PhPluginLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ph_plugin_loader_finalize;
}

static void
ph_plugin_loader_init (PhPluginLoader *self)
{
  self->porthole_version = g_strdup (PACKAGE_VERSION);
  self->status = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) status_free);
  self->views = g_ptr_array_new_with_free_func (g_object_unref);
  self->sections = g_ptr_array_new_with_free_func ((GDestroyNotify) section_free);
  self->plugins = g_ptr_array_new_with_free_func (g_object_unref);
}

PhPluginLoader *
ph_plugin_loader_new (GPtrArray *dirs)
{
  PhPluginLoader *self = g_object_new (PH_TYPE_PLUGIN_LOADER, NULL);

  self->dirs = dirs ? g_ptr_array_ref (dirs) : ph_plugin_default_dirs ();
  return self;
}

void
ph_plugin_loader_set_porthole_version (PhPluginLoader *self,
                                       const char     *version)
{
  g_return_if_fail (PH_IS_PLUGIN_LOADER (self));
  g_return_if_fail (version != NULL);

  g_free (self->porthole_version);
  self->porthole_version = g_strdup (version);
}

void
ph_plugin_loader_set_disabled (PhPluginLoader     *self,
                               const char * const *names)
{
  g_return_if_fail (PH_IS_PLUGIN_LOADER (self));

  g_strfreev (self->disabled);
  self->disabled = g_strdupv ((char **) names);
}

static void
set_status (PhPluginLoader *self,
            const char     *name,
            PhPluginState   state,
            const char     *message)
{
  PluginStatus *status = g_new0 (PluginStatus, 1);

  status->state = state;
  status->message = g_strdup (message);
  g_hash_table_replace (self->status, g_strdup (name), status);

  if (state == PH_PLUGIN_STATE_FAILED)
    g_debug ("Plugin %s not loaded: %s", name, message);
}

typedef struct {
  const char *plugin;
  GPtrArray  *sections;
} RegistrarData;

static void
registrar_add_detail_section (const PortholePluginRegistrar *registrar,
                              const PortholeDetailSection   *section)
{
  RegistrarData *data = registrar->porthole_private;
  PhPluginDetailSection *copy;

  if (section == NULL || section->id == NULL || section->title == NULL || section->render == NULL)
    {
      g_debug ("Plugin %s registered an incomplete detail section; ignored", data->plugin);
      return;
    }

  copy = g_new0 (PhPluginDetailSection, 1);
  copy->plugin = g_strdup (data->plugin);
  copy->id = g_strdup (section->id);
  copy->title = g_strdup (section->title);
  copy->group = g_strdup (section->group);
  copy->kind = g_strdup (section->kind);
  copy->render = section->render;
  copy->user_data = section->user_data;
  g_ptr_array_add (data->sections, copy);
}

typedef int (*RegisterFunc) (const PortholePluginRegistrar *registrar,
                             char                         **error_message);

static gboolean
load_module (PhPluginLoader    *self,
             PhInstalledPlugin *plugin,
             const char        *module_path,
             GPtrArray         *sections,
             char             **message)
{
  GModule *module;
  gpointer symbol = NULL;
  const unsigned int *api_version;
  RegisterFunc register_func;
  RegistrarData data = { ph_installed_plugin_get_name (plugin), sections };
  PortholePluginRegistrar registrar = {
    .api_version = PORTHOLE_PLUGIN_API_VERSION,
    .porthole_private = &data,
    .add_detail_section = registrar_add_detail_section,
  };
  char *plugin_error = NULL;
  int r;

  module = g_module_open (module_path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      *message = g_strdup_printf ("cannot open the native module: %s", g_module_error ());
      return FALSE;
    }

  /* The API version is checked before any other symbol is touched. */
  if (!g_module_symbol (module, "porthole_plugin_api_version", &symbol) || symbol == NULL)
    {
      *message = g_strdup_printf ("%s does not export porthole_plugin_api_version", module_path);
      g_module_close (module);
      return FALSE;
    }
  api_version = symbol;
  if (*api_version != PORTHOLE_PLUGIN_API_VERSION)
    {
      *message = g_strdup_printf ("%s was built for plugin API %u; this Porthole provides API %u",
                                  module_path, *api_version, PORTHOLE_PLUGIN_API_VERSION);
      g_module_close (module);
      return FALSE;
    }

  if (!g_module_symbol (module, "porthole_plugin_register", &symbol) || symbol == NULL)
    {
      *message = g_strdup_printf ("%s does not export porthole_plugin_register", module_path);
      g_module_close (module);
      return FALSE;
    }
  register_func = (RegisterFunc) symbol;

  r = register_func (&registrar, &plugin_error);
  if (r != 0)
    {
      *message = g_strdup_printf ("the native module failed to start: %s",
                                  plugin_error ? plugin_error : "no reason given");
      free (plugin_error);
      /* Sections it registered before failing are dropped, but the module
       * may have handed out pointers: keep it mapped. */
      g_module_make_resident (module);
      return FALSE;
    }

  /* Sections point into the module: it stays for the process's life. */
  g_module_make_resident (module);
  return TRUE;
}

static void
load_plugin (PhPluginLoader    *self,
             PhInstalledPlugin *plugin)
{
  const char *name = ph_installed_plugin_get_name (plugin);
  const PhPluginManifest *manifest = ph_installed_plugin_get_manifest (plugin);
  g_autoptr(GPtrArray) views = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) sections = g_ptr_array_new_with_free_func ((GDestroyNotify) section_free);
  g_autofree char *message = NULL;

  if (ph_installed_plugin_get_error (plugin) != NULL)
    {
      set_status (self, name, PH_PLUGIN_STATE_FAILED, ph_installed_plugin_get_error (plugin));
      return;
    }

  if (self->disabled != NULL && g_strv_contains ((const char * const *) self->disabled, name))
    {
      set_status (self, name, PH_PLUGIN_STATE_DISABLED, NULL);
      return;
    }

  if (!ph_semver_satisfies (self->porthole_version, manifest->version_compat, FALSE))
    {
      message = g_strdup_printf ("requires Porthole “%s”; this is Porthole %s",
                                 manifest->version_compat, self->porthole_version);
      set_status (self, name, PH_PLUGIN_STATE_FAILED, message);
      return;
    }

  for (guint i = 0; manifest->views[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (ph_installed_plugin_get_path (plugin), manifest->views[i], NULL);
      g_autoptr(GError) error = NULL;
      PhPluginView *view = ph_plugin_view_new_from_file (name, path, &error);

      if (view == NULL)
        {
          set_status (self, name, PH_PLUGIN_STATE_FAILED, error->message);
          return;
        }
      g_ptr_array_add (views, view);
    }

  if (manifest->module != NULL)
    {
      g_autofree char *path = g_build_filename (ph_installed_plugin_get_path (plugin), manifest->module, NULL);

      if (!load_module (self, plugin, path, sections, &message))
        {
          set_status (self, name, PH_PLUGIN_STATE_FAILED, message);
          return;
        }
    }

  g_ptr_array_extend_and_steal (self->views, g_steal_pointer (&views));
  g_ptr_array_extend_and_steal (self->sections, g_steal_pointer (&sections));
  set_status (self, name, PH_PLUGIN_STATE_LOADED, NULL);
}

void
ph_plugin_loader_load (PhPluginLoader *self)
{
  g_autoptr(GPtrArray) plugins = NULL;

  g_return_if_fail (PH_IS_PLUGIN_LOADER (self));
  g_return_if_fail (!self->loaded);

  self->loaded = TRUE;

  /* An update interrupted between its two renames leaves the user's copy
   * missing until recovery puts it back, so recover before looking. */
  for (guint i = 0; i < self->dirs->len; i++)
    {
      PhPluginDir *dir = g_ptr_array_index (self->dirs, i);
      g_autoptr(PhPluginInstaller) installer = NULL;
      g_autoptr(GError) error = NULL;

      if (dir->source != PH_PLUGIN_SOURCE_USER)
        continue;
      installer = ph_plugin_installer_new (dir->path);
      if (!ph_plugin_installer_recover_if_idle (installer, &error))
        g_warning ("Cannot recover the plugin folder %s: %s", dir->path, error->message);
    }

  plugins = ph_plugin_registry_scan (self->dirs);
  for (guint i = 0; i < plugins->len; i++)
    {
      PhInstalledPlugin *plugin = g_ptr_array_index (plugins, i);

      load_plugin (self, plugin);
      g_ptr_array_add (self->plugins, g_object_ref (plugin));
    }
}

GPtrArray *
ph_plugin_loader_get_plugins (PhPluginLoader *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_LOADER (self), NULL);
  return self->plugins;
}

PhPluginState
ph_plugin_loader_get_state (PhPluginLoader  *self,
                            const char      *name,
                            const char     **message)
{
  PluginStatus *status;

  g_return_val_if_fail (PH_IS_PLUGIN_LOADER (self), PH_PLUGIN_STATE_FAILED);
  g_return_val_if_fail (name != NULL, PH_PLUGIN_STATE_FAILED);

  status = g_hash_table_lookup (self->status, name);
  if (message != NULL)
    *message = status ? status->message : "not found";

  return status ? status->state : PH_PLUGIN_STATE_FAILED;
}

GPtrArray *
ph_plugin_loader_get_views (PhPluginLoader *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_LOADER (self), NULL);
  return self->views;
}

GPtrArray *
ph_plugin_loader_get_detail_sections (PhPluginLoader *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_LOADER (self), NULL);
  return self->sections;
}

const char *
ph_plugin_detail_section_get_plugin (const PhPluginDetailSection *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->plugin;
}

const char *
ph_plugin_detail_section_get_id (const PhPluginDetailSection *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->id;
}

const char *
ph_plugin_detail_section_get_title (const PhPluginDetailSection *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->title;
}

gboolean
ph_plugin_detail_section_applies_to (const PhPluginDetailSection *self,
                                     const char                  *group,
                                     const char                  *kind)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->group != NULL && g_strcmp0 (self->group, group ? group : "") != 0)
    return FALSE;
  if (self->kind != NULL && g_strcmp0 (self->kind, kind) != 0)
    return FALSE;

  return TRUE;
}

GStrv
ph_plugin_detail_section_render (const PhPluginDetailSection *self,
                                 const char                  *object_json,
                                 gsize                        length)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) lines = NULL;
  char *text;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (object_json != NULL, NULL);

  text = self->render (object_json, length, self->user_data);
  if (text == NULL)
    return NULL;

  /* Copy out of the module's allocation before anything else. */
  lines = g_strsplit (text, "\n", -1);
  free (text);

  builder = g_strv_builder_new ();
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *tab;

      if (lines[i][0] == '\0' || !g_utf8_validate (lines[i], -1, NULL))
        continue;
      tab = strchr (lines[i], '\t');
      if (tab != NULL)
        {
          *tab = '\0';
          g_strv_builder_add (builder, lines[i]);
          g_strv_builder_add (builder, tab + 1);
        }
      else
        {
          g_strv_builder_add (builder, lines[i]);
          g_strv_builder_add (builder, "");
        }
    }

  return g_strv_builder_end (builder);
}
