/* ph-plugin-row.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ph-plugin-row.h"

struct _PhPluginRow
{
  AdwActionRow  parent_instance;

  GtkLabel     *installed_label;
  GtkButton    *install_button;
  GtkMenuButton *versions_button;
  GtkButton    *update_button;
  GtkButton    *uninstall_button;
  GtkSwitch    *enabled_switch;

  char         *plugin_name;
  char         *update_version;
  char         *installed_version;
};

G_DEFINE_FINAL_TYPE (PhPluginRow, ph_plugin_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_PLUGIN_NAME,
  PROP_UPDATE_VERSION,
  PROP_INSTALLED_VERSION,
  PROP_INSTALLABLE,
  PROP_REMOVABLE,
  PROP_SHOW_SWITCH,
  PROP_ENABLED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_plugin_name (PhPluginRow *self,
                 const char  *name)
{
  g_assert (self->plugin_name == NULL);

  self->plugin_name = g_strdup (name);
  /* Tests and the inspector find a plugin's row by its name. */
  gtk_widget_set_name (GTK_WIDGET (self), name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->install_button), "s", name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->update_button), "s", name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->uninstall_button), "s", name);
}

static void
ph_plugin_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PH_TYPE_PLUGIN_ROW);

  G_OBJECT_CLASS (ph_plugin_row_parent_class)->dispose (object);
}

static void
ph_plugin_row_finalize (GObject *object)
{
  PhPluginRow *self = (PhPluginRow *) object;

  g_free (self->plugin_name);
  g_free (self->update_version);
  g_free (self->installed_version);

  G_OBJECT_CLASS (ph_plugin_row_parent_class)->finalize (object);
}

static void
ph_plugin_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PhPluginRow *self = PH_PLUGIN_ROW (object);

  switch (prop_id)
    {
    case PROP_PLUGIN_NAME:
      g_value_set_string (value, self->plugin_name);
      break;
    case PROP_UPDATE_VERSION:
      g_value_set_string (value, self->update_version);
      break;
    case PROP_INSTALLED_VERSION:
      g_value_set_string (value, self->installed_version);
      break;
    case PROP_INSTALLABLE:
      g_value_set_boolean (value, ph_plugin_row_get_installable (self));
      break;
    case PROP_REMOVABLE:
      g_value_set_boolean (value, ph_plugin_row_get_removable (self));
      break;
    case PROP_SHOW_SWITCH:
      g_value_set_boolean (value, ph_plugin_row_get_show_switch (self));
      break;
    case PROP_ENABLED:
      g_value_set_boolean (value, ph_plugin_row_get_enabled (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_plugin_row_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PhPluginRow *self = PH_PLUGIN_ROW (object);

  switch (prop_id)
    {
    case PROP_PLUGIN_NAME:
      set_plugin_name (self, g_value_get_string (value));
      break;
    case PROP_UPDATE_VERSION:
      ph_plugin_row_set_update_version (self, g_value_get_string (value));
      break;
    case PROP_INSTALLED_VERSION:
      ph_plugin_row_set_installed_version (self, g_value_get_string (value));
      break;
    case PROP_INSTALLABLE:
      ph_plugin_row_set_installable (self, g_value_get_boolean (value));
      break;
    case PROP_REMOVABLE:
      ph_plugin_row_set_removable (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_SWITCH:
      ph_plugin_row_set_show_switch (self, g_value_get_boolean (value));
      break;
    case PROP_ENABLED:
      ph_plugin_row_set_enabled (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
on_switch_active (PhPluginRow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

static void
ph_plugin_row_class_init (PhPluginRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ph_plugin_row_dispose;
  object_class->finalize = ph_plugin_row_finalize;
  object_class->get_property = ph_plugin_row_get_property;
  object_class->set_property = ph_plugin_row_set_property;

  properties[PROP_PLUGIN_NAME] =
    g_param_spec_string ("plugin-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPDATE_VERSION] =
    g_param_spec_string ("update-version", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INSTALLED_VERSION] =
    g_param_spec_string ("installed-version", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INSTALLABLE] =
    g_param_spec_boolean ("installable", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REMOVABLE] =
    g_param_spec_boolean ("removable", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_SWITCH] =
    g_param_spec_boolean ("show-switch", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/ph-plugin-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PhPluginRow, installed_label);
  gtk_widget_class_bind_template_child (widget_class, PhPluginRow, install_button);
  gtk_widget_class_bind_template_child (widget_class, PhPluginRow, versions_button);
  gtk_widget_class_bind_template_child (widget_class, PhPluginRow, update_button);
  gtk_widget_class_bind_template_child (widget_class, PhPluginRow, uninstall_button);
  gtk_widget_class_bind_template_child (widget_class, PhPluginRow, enabled_switch);
}

static void
ph_plugin_row_init (PhPluginRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The switch is the state; the row only re-announces its changes. */
  g_signal_connect_object (self->enabled_switch, "notify::active",
                           G_CALLBACK (on_switch_active), self, G_CONNECT_SWAPPED);
}

GtkWidget *
ph_plugin_row_new (const char *plugin_name)
{
  g_return_val_if_fail (plugin_name != NULL, NULL);

  return g_object_new (PH_TYPE_PLUGIN_ROW, "plugin-name", plugin_name, NULL);
}

const char *
ph_plugin_row_get_plugin_name (PhPluginRow *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_ROW (self), NULL);
  return self->plugin_name;
}

const char *
ph_plugin_row_get_update_version (PhPluginRow *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_ROW (self), NULL);
  return self->update_version;
}

void
ph_plugin_row_set_update_version (PhPluginRow *self,
                                  const char  *version)
{
  g_return_if_fail (PH_IS_PLUGIN_ROW (self));

  if (g_strcmp0 (self->update_version, version) == 0)
    return;

  g_free (self->update_version);
  self->update_version = g_strdup (version);

  if (version != NULL)
    {
      g_autofree char *label = g_strdup_printf (_("Update to %s"), version);

      gtk_button_set_label (self->update_button, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->update_button), version != NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATE_VERSION]);
}

const char *
ph_plugin_row_get_installed_version (PhPluginRow *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_ROW (self), NULL);
  return self->installed_version;
}

/* Shows "Installed (VERSION)" in a catalog row; NULL hides it. */
void
ph_plugin_row_set_installed_version (PhPluginRow *self,
                                     const char  *version)
{
  g_return_if_fail (PH_IS_PLUGIN_ROW (self));

  if (g_strcmp0 (self->installed_version, version) == 0)
    return;

  g_free (self->installed_version);
  self->installed_version = g_strdup (version);

  if (version != NULL)
    {
      g_autofree char *label = g_strdup_printf (_("Installed (%s)"), version);

      gtk_label_set_text (self->installed_label, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->installed_label), version != NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSTALLED_VERSION]);
}

gboolean
ph_plugin_row_get_installable (PhPluginRow *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_ROW (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->install_button));
}

void
ph_plugin_row_set_installable (PhPluginRow *self,
                               gboolean     installable)
{
  g_return_if_fail (PH_IS_PLUGIN_ROW (self));

  installable = !!installable;
  if (installable == ph_plugin_row_get_installable (self))
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->install_button), installable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSTALLABLE]);
}

gboolean
ph_plugin_row_get_removable (PhPluginRow *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_ROW (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->uninstall_button));
}

void
ph_plugin_row_set_removable (PhPluginRow *self,
                             gboolean     removable)
{
  g_return_if_fail (PH_IS_PLUGIN_ROW (self));

  removable = !!removable;
  if (removable == ph_plugin_row_get_removable (self))
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->uninstall_button), removable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOVABLE]);
}

gboolean
ph_plugin_row_get_show_switch (PhPluginRow *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_ROW (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->enabled_switch));
}

void
ph_plugin_row_set_show_switch (PhPluginRow *self,
                               gboolean     show_switch)
{
  g_return_if_fail (PH_IS_PLUGIN_ROW (self));

  show_switch = !!show_switch;
  if (show_switch == ph_plugin_row_get_show_switch (self))
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->enabled_switch), show_switch);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_SWITCH]);
}

gboolean
ph_plugin_row_get_enabled (PhPluginRow *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_ROW (self), FALSE);
  return gtk_switch_get_active (self->enabled_switch);
}

void
ph_plugin_row_set_enabled (PhPluginRow *self,
                           gboolean     enabled)
{
  g_return_if_fail (PH_IS_PLUGIN_ROW (self));

  /* The switch notifies, and on_switch_active passes that on once. */
  gtk_switch_set_active (self->enabled_switch, enabled);
}

void
ph_plugin_row_set_other_versions (PhPluginRow        *self,
                                  const char * const *versions)
{
  g_autoptr(GMenu) menu = g_menu_new ();

  g_return_if_fail (PH_IS_PLUGIN_ROW (self));

  /* "plugin.install" takes "NAME@VERSION" like the command line. */
  for (guint i = 0; versions != NULL && versions[i] != NULL; i++)
    {
      g_autofree char *label = g_strdup_printf (_("Install Version %s"), versions[i]);
      g_autofree char *target = g_strdup_printf ("%s@%s", self->plugin_name, versions[i]);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (item, "plugin.install", "s", target);
      g_menu_append_item (menu, item);
    }

  gtk_menu_button_set_menu_model (self->versions_button, G_MENU_MODEL (menu));
  gtk_widget_set_visible (GTK_WIDGET (self->versions_button), versions != NULL && versions[0] != NULL);
}
