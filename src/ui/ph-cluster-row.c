/* ph-cluster-row.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ph-cluster-row.h"

struct _PhClusterRow
{
  GtkListBoxRow   parent_instance;

  PhClusterEntry *entry;
  const char     *dot_class;

  GtkCheckButton *check;
  GtkLabel       *name_label;
  GtkLabel       *detail_label;
  GtkImage       *dot;
};

G_DEFINE_FINAL_TYPE (PhClusterRow, ph_cluster_row, GTK_TYPE_LIST_BOX_ROW)

/* A kubeconfig error reads "FILE:LINE: FIELD: WHAT" (or "FILE:LINE:COL:
 * WHAT" for YAML syntax): far too long for the sidebar, where a few words
 * say what is wrong; the tooltip keeps the whole message. */
static const char *
summarize_config_error (const char *error)
{
  const char *rest = error;
  g_autofree char *field = NULL;
  g_autofree char *what = NULL;
  const char *colon;
  gboolean certificate, token_file;

  /* Skip "FILE:LINE: ": the first ':' followed by digits and ": ". */
  for (const char *p = strchr (error, ':'); p != NULL; p = strchr (p + 1, ':'))
    {
      const char *q = p + 1;

      while (g_ascii_isdigit (*q))
        q++;
      if (q > p + 1 && g_str_has_prefix (q, ": "))
        {
          rest = q + 2;
          break;
        }
    }

  colon = strstr (rest, ": ");
  field = g_ascii_strdown (rest, colon != NULL ? colon - rest : -1);
  what = g_ascii_strdown (colon != NULL ? colon + 2 : rest, -1);
  certificate = strstr (field, "certificate") != NULL || strstr (field, "client-key") != NULL;
  token_file = strstr (field, "tokenfile") != NULL;

  if (strstr (what, "malformed yaml") != NULL || strstr (field, "malformed yaml") != NULL ||
      strstr (field, "not a kubeconfig") != NULL)
    return _("Not a valid kubeconfig file");
  if (g_str_has_suffix (what, "not found"))
    return certificate ? _("Certificate file not found") :
           token_file ? _("Token file not found") : _("File not found");
  if (strstr (what, "cannot read") != NULL)
    return certificate ? _("Certificate file unreadable") : _("File unreadable");
  if (strstr (what, "no cluster named") != NULL)
    return _("Cluster not defined");
  if (strstr (what, "no user named") != NULL)
    return _("User not defined");
  if (certificate || strstr (what, "pem") != NULL)
    return _("Invalid certificate");
  if (strstr (field, "exec") != NULL)
    return _("Invalid credential plugin");
  if (strstr (what, "missing") != NULL)
    return _("Required field missing");

  return _("Invalid entry");
}

static void
update_status (PhClusterRow *self)
{
  PhClusterStatus status = ph_cluster_entry_get_status (self->entry);
  const char *reason = ph_cluster_entry_get_status_reason (self->entry);
  const char *dot_class = NULL;
  const char *summary = NULL;
  g_autofree char *tooltip = NULL;

  switch (status)
    {
    case PH_CLUSTER_STATUS_IDLE:
      dot_class = "dim-label";
      summary = _("Not connected");
      break;
    case PH_CLUSTER_STATUS_CONNECTING:
      dot_class = "accent";
      summary = _("Connecting");
      break;
    case PH_CLUSTER_STATUS_LIVE:
      dot_class = "success";
      summary = _("Live");
      break;
    case PH_CLUSTER_STATUS_RECONNECTING:
      dot_class = "warning";
      summary = _("Reconnecting");
      break;
    case PH_CLUSTER_STATUS_ERROR:
    case PH_CLUSTER_STATUS_BROKEN:
    default:
      dot_class = "error";
      summary = _("Error");
      break;
    }

  if (self->dot_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->dot), self->dot_class);
  gtk_widget_add_css_class (GTK_WIDGET (self->dot), dot_class);
  self->dot_class = dot_class;

  if (reason != NULL && *reason != '\0')
    tooltip = g_strdup_printf ("%s — %s", summary, reason);
  else
    tooltip = g_strdup (summary);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->dot), tooltip);

  /* Errors stay readable in place, not only in a tooltip: one short line
   * there, the whole message in the tooltip. */
  if (status == PH_CLUSTER_STATUS_ERROR || status == PH_CLUSTER_STATUS_BROKEN)
    {
      const char *shown = reason;

      if (status == PH_CLUSTER_STATUS_BROKEN && reason != NULL && *reason != '\0')
        shown = summarize_config_error (reason);
      gtk_label_set_label (self->detail_label, shown);
      gtk_widget_set_visible (GTK_WIDGET (self->detail_label), reason != NULL && *reason != '\0');
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->detail_label), reason);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->detail_label), FALSE);
}

static void
on_row_activate (PhClusterRow *self)
{
  if (ph_cluster_entry_get_usable (self->entry))
    ph_cluster_entry_set_selected (self->entry, !ph_cluster_entry_get_selected (self->entry));
}

static void
ph_cluster_row_dispose (GObject *object)
{
  PhClusterRow *self = PH_CLUSTER_ROW (object);

  g_clear_object (&self->entry);

  gtk_widget_dispose_template (GTK_WIDGET (object), PH_TYPE_CLUSTER_ROW);

  G_OBJECT_CLASS (ph_cluster_row_parent_class)->dispose (object);
}

static void
ph_cluster_row_class_init (PhClusterRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ph_cluster_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/porthole/Porthole/ui/ph-cluster-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PhClusterRow, check);
  gtk_widget_class_bind_template_child (widget_class, PhClusterRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, PhClusterRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, PhClusterRow, dot);
}

static void
ph_cluster_row_init (PhClusterRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self, "activate", G_CALLBACK (on_row_activate), NULL);
}

GtkWidget *
ph_cluster_row_new (PhClusterEntry *entry)
{
  PhClusterRow *self;
  const char *server;

  g_return_val_if_fail (PH_IS_CLUSTER_ENTRY (entry), NULL);

  self = g_object_new (PH_TYPE_CLUSTER_ROW, NULL);
  self->entry = g_object_ref (entry);

  gtk_label_set_label (self->name_label, ph_cluster_entry_get_name (entry));
  server = ph_cluster_entry_get_server (entry);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), server);
  g_object_bind_property (entry, "selected", self->check, "active", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check), ph_cluster_entry_get_usable (entry));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), ph_cluster_entry_get_usable (entry));
  if (!ph_cluster_entry_get_usable (entry))
    gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "dim-label");

  g_signal_connect_object (entry, "notify::status", G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (entry, "notify::status-reason", G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  update_status (self);

  return GTK_WIDGET (self);
}

PhClusterEntry *
ph_cluster_row_get_entry (PhClusterRow *self)
{
  g_return_val_if_fail (PH_IS_CLUSTER_ROW (self), NULL);

  return self->entry;
}

const char *
ph_cluster_row_get_dot_class (PhClusterRow *self)
{
  g_return_val_if_fail (PH_IS_CLUSTER_ROW (self), NULL);

  return self->dot_class;
}
