/* ph-plugin-registry.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>

#include "ph-plugin-registry.h"

struct _PhInstalledPlugin
{
  GObject           parent_instance;

  char             *name;
  char             *path;
  PhPluginSource    source;
  PhPluginManifest *manifest;
  char             *error;
  char             *catalog;
  char             *sha256;
  char             *installed_at;
  char             *shadows;
  guint             managed : 1;
};

G_DEFINE_FINAL_TYPE (PhInstalledPlugin, ph_installed_plugin, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_VERSION,
  PROP_TITLE,
  PROP_DESCRIPTION,
  PROP_PATH,
  PROP_MANAGED,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ph_installed_plugin_finalize (GObject *object)
{
  PhInstalledPlugin *self = (PhInstalledPlugin *) object;

  g_free (self->name);
  g_free (self->path);
  g_clear_pointer (&self->manifest, ph_plugin_manifest_free);
  g_free (self->error);
  g_free (self->catalog);
  g_free (self->sha256);
  g_free (self->installed_at);
  g_free (self->shadows);

  G_OBJECT_CLASS (ph_installed_plugin_parent_class)->finalize (object);
}

static void
ph_installed_plugin_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PhInstalledPlugin *self = PH_INSTALLED_PLUGIN (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_VERSION:
      g_value_set_string (value, ph_installed_plugin_get_version (self));
      break;
    case PROP_TITLE:
      g_value_set_string (value, ph_installed_plugin_get_title (self));
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, ph_installed_plugin_get_description (self));
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_MANAGED:
      g_value_set_boolean (value, self->managed);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_installed_plugin_class_init (PhInstalledPluginClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ph_installed_plugin_finalize;
  object_class->get_property = ph_installed_plugin_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_VERSION] = g_param_spec_string ("version", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, flags);
  properties[PROP_MANAGED] = g_param_spec_boolean ("managed", NULL, NULL, FALSE, flags);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ph_installed_plugin_init (PhInstalledPlugin *self)
{
}

const char *
ph_installed_plugin_get_name (PhInstalledPlugin *self)
{
  g_return_val_if_fail (PH_IS_INSTALLED_PLUGIN (self), NULL);
  return self->name;
}

const char *
ph_installed_plugin_get_version (PhInstalledPlugin *self)
{
  g_return_val_if_fail (PH_IS_INSTALLED_PLUGIN (self), NULL);
  return self->manifest ? self->manifest->version : NULL;
}

const char *
ph_installed_plugin_get_title (PhInstalledPlugin *self)
{
  g_return_val_if_fail (PH_IS_INSTALLED_PLUGIN (self), NULL);
  return self->manifest ? self->manifest->title : self->name;
}

const char *
ph_installed_plugin_get_description (PhInstalledPlugin *self)
{
  g_return_val_if_fail (PH_IS_INSTALLED_PLUGIN (self), NULL);
  return self->manifest ? self->manifest->description : "";
}

const char *
ph_installed_plugin_get_path (PhInstalledPlugin *self)
{
  g_return_val_if_fail (PH_IS_INSTALLED_PLUGIN (self), NULL);
  return self->path;
}

PhPluginSource
ph_installed_plugin_get_source (PhInstalledPlugin *self)
{
  g_return_val_if_fail (PH_IS_INSTALLED_PLUGIN (self), 0);
  return self->source;
}

gboolean
ph_installed_plugin_get_managed (PhInstalledPlugin *self)
{
  g_return_val_if_fail (PH_IS_INSTALLED_PLUGIN (self), FALSE);
  return self->managed;
}

const char *
ph_installed_plugin_get_catalog (PhInstalledPlugin *self)
{
  g_return_val_if_fail (PH_IS_INSTALLED_PLUGIN (self), NULL);
  return self->catalog;
}

const char *
ph_installed_plugin_get_sha256 (PhInstalledPlugin *self)
{
  g_return_val_if_fail (PH_IS_INSTALLED_PLUGIN (self), NULL);
  return self->sha256;
}

const char *
ph_installed_plugin_get_installed_at (PhInstalledPlugin *self)
{
  g_return_val_if_fail (PH_IS_INSTALLED_PLUGIN (self), NULL);
  return self->installed_at;
}

const char *
ph_installed_plugin_get_error (PhInstalledPlugin *self)
{
  g_return_val_if_fail (PH_IS_INSTALLED_PLUGIN (self), NULL);
  return self->error;
}

const PhPluginManifest *
ph_installed_plugin_get_manifest (PhInstalledPlugin *self)
{
  g_return_val_if_fail (PH_IS_INSTALLED_PLUGIN (self), NULL);
  return self->manifest;
}

const char *
ph_installed_plugin_get_shadows (PhInstalledPlugin *self)
{
  g_return_val_if_fail (PH_IS_INSTALLED_PLUGIN (self), NULL);
  return self->shadows;
}

const char *
ph_plugin_source_to_string (PhPluginSource source)
{
  switch (source)
    {
    case PH_PLUGIN_SOURCE_USER: return "user";
    case PH_PLUGIN_SOURCE_EXTRA: return "extra";
    case PH_PLUGIN_SOURCE_SHIPPED: return "shipped";
    default: return "unknown";
    }
}

char *
ph_plugin_user_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "porthole", "plugins", NULL);
}

void
ph_plugin_dir_free (PhPluginDir *dir)
{
  if (dir == NULL)
    return;
  g_free (dir->path);
  g_free (dir);
}

static void
add_dir (GPtrArray      *dirs,
         const char     *path,
         PhPluginSource  source)
{
  PhPluginDir *dir = g_new0 (PhPluginDir, 1);

  dir->path = g_strdup (path);
  dir->source = source;
  g_ptr_array_add (dirs, dir);
}

/* In priority order: the user's copy wins, then PORTHOLE_PLUGIN_PATH,
 * then what ships with Porthole. */
GPtrArray *
ph_plugin_default_dirs (void)
{
  GPtrArray *dirs = g_ptr_array_new_with_free_func ((GDestroyNotify) ph_plugin_dir_free);
  g_autofree char *user = ph_plugin_user_dir ();
  const char *extra = g_getenv ("PORTHOLE_PLUGIN_PATH");

  add_dir (dirs, user, PH_PLUGIN_SOURCE_USER);

  if (extra != NULL && *extra != '\0')
    {
      g_auto(GStrv) parts = g_strsplit (extra, G_SEARCHPATH_SEPARATOR_S, -1);

      for (guint i = 0; parts[i] != NULL; i++)
        if (*parts[i] != '\0')
          add_dir (dirs, parts[i], PH_PLUGIN_SOURCE_EXTRA);
    }

  add_dir (dirs, PKGDATADIR "/plugins", PH_PLUGIN_SOURCE_SHIPPED);

  return dirs;
}

static void
load_install_info (PhInstalledPlugin *self)
{
  g_autofree char *path = g_build_filename (self->path, PH_PLUGIN_INSTALL_INFO, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return;

  /* The file's presence is what marks the plugin as managed; its fields
   * are informative. */
  self->managed = TRUE;

  if (!json_parser_load_from_file (parser, path, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  object = json_node_get_object (root);

  self->catalog = g_strdup (json_object_get_string_member_with_default (object, "catalog", NULL));
  self->sha256 = g_strdup (json_object_get_string_member_with_default (object, "sha256", NULL));
  self->installed_at = g_strdup (json_object_get_string_member_with_default (object, "installedAt", NULL));
}

PhInstalledPlugin *
ph_installed_plugin_load (const char     *folder,
                          PhPluginSource  source)
{
  PhInstalledPlugin *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (folder != NULL, NULL);

  self = g_object_new (PH_TYPE_INSTALLED_PLUGIN, NULL);
  self->path = g_strdup (folder);
  self->source = source;
  self->name = g_path_get_basename (folder);
  self->manifest = ph_plugin_manifest_load (folder, &error);

  if (self->manifest == NULL)
    self->error = g_strdup (error->message);
  else if (strcmp (self->manifest->name, self->name) != 0)
    self->error = g_strdup_printf ("%s: the folder is named “%s” but plugin.json names “%s”",
                                   folder, self->name, self->manifest->name);

  load_install_info (self);

  return self;
}

static int
compare_by_name (gconstpointer a,
                 gconstpointer b)
{
  PhInstalledPlugin *pa = *(PhInstalledPlugin **) a;
  PhInstalledPlugin *pb = *(PhInstalledPlugin **) b;

  return strcmp (pa->name, pb->name);
}

GPtrArray *
ph_plugin_registry_scan (GPtrArray *dirs)
{
  GPtrArray *plugins = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (dirs != NULL, NULL);

  for (guint i = 0; i < dirs->len; i++)
    {
      PhPluginDir *dir = g_ptr_array_index (dirs, i);
      g_autoptr(GDir) d = g_dir_open (dir->path, 0, NULL);
      const char *name;

      if (d == NULL)
        continue;

      while ((name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *folder = NULL;
          PhInstalledPlugin *existing;

          /* .staging, .lock and anything hidden are the manager's own. */
          if (name[0] == '.')
            continue;

          folder = g_build_filename (dir->path, name, NULL);
          if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
            continue;

          existing = ph_plugin_registry_find (plugins, name);
          if (existing != NULL)
            {
              if (existing->shadows == NULL)
                existing->shadows = g_strdup (folder);
              continue;
            }

          g_ptr_array_add (plugins, ph_installed_plugin_load (folder, dir->source));
        }
    }

  g_ptr_array_sort (plugins, compare_by_name);

  return plugins;
}

PhInstalledPlugin *
ph_plugin_registry_find (GPtrArray  *plugins,
                         const char *name)
{
  g_return_val_if_fail (plugins != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < plugins->len; i++)
    {
      PhInstalledPlugin *plugin = g_ptr_array_index (plugins, i);

      if (strcmp (plugin->name, name) == 0)
        return plugin;
    }

  return NULL;
}
