/* ph-cluster-row.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
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

/* The sidebar has room for a few words on what is wrong with a broken
 * entry; the tooltip keeps the whole "FILE:LINE: FIELD: WHAT" message.
 * The words come from the problem's code and, where that is not enough,
 * from the field path it names ("users[2].user.client-key"). */

static const char *
field_last (const char *field)
{
  const char *dot = field != NULL ? strrchr (field, '.') : NULL;

  return dot != NULL ? dot + 1 : field != NULL ? field : "";
}

static gboolean
field_in_exec (const char *field)
{
  g_auto(GStrv) parts = field != NULL ? g_strsplit (field, ".", -1) : NULL;

  /* "users[N].user.exec" and below */
  return parts != NULL && g_strv_length (parts) >= 3 && g_strcmp0 (parts[2], "exec") == 0;
}

static const char *
summarize_problem (PhKubeconfigProblem  problem,
                   const char          *field)
{
  const char *last = field_last (field);

  if (field_in_exec (field) &&
      (problem == PH_KUBECONFIG_PROBLEM_MISSING_FIELD ||
       problem == PH_KUBECONFIG_PROBLEM_INVALID_VALUE ||
       problem == PH_KUBECONFIG_PROBLEM_UNKNOWN_FIELD))
    return _("Invalid credential plugin");

  switch (problem)
    {
    case PH_KUBECONFIG_PROBLEM_SYNTAX:
      return _("Not a valid kubeconfig file");

    case PH_KUBECONFIG_PROBLEM_FILE_NOT_FOUND:
      if (strcmp (last, "certificate-authority") == 0)
        return _("CA certificate file not found");
      if (strcmp (last, "client-certificate") == 0)
        return _("Client certificate file not found");
      if (strcmp (last, "client-key") == 0)
        return _("Client key file not found");
      if (strcmp (last, "tokenFile") == 0)
        return _("Token file not found");
      return _("File not found");

    case PH_KUBECONFIG_PROBLEM_UNREADABLE:
      if (strcmp (last, "certificate-authority") == 0)
        return _("CA certificate file unreadable");
      if (strcmp (last, "client-certificate") == 0)
        return _("Client certificate file unreadable");
      if (strcmp (last, "client-key") == 0)
        return _("Client key file unreadable");
      return _("File unreadable");

    case PH_KUBECONFIG_PROBLEM_MISSING_REFERENCE:
      if (strcmp (last, "cluster") == 0)
        return _("Cluster not defined");
      if (strcmp (last, "user") == 0)
        return _("User not defined");
      break;

    case PH_KUBECONFIG_PROBLEM_MISSING_FIELD:
      if (strcmp (last, "server") == 0)
        return _("Server address missing");
      return _("Required field missing");

    case PH_KUBECONFIG_PROBLEM_INVALID_VALUE:
      if (strcmp (last, "server") == 0)
        return _("Invalid server address");
      if (strcmp (last, "proxy-url") == 0)
        return _("Invalid proxy address");
      if (g_str_has_prefix (last, "certificate-authority") || g_str_has_prefix (last, "client-certificate"))
        return _("Invalid certificate");
      if (g_str_has_prefix (last, "client-key"))
        return _("Invalid client key");
      if (strcmp (last, "token") == 0)
        return _("Invalid token");
      return _("Invalid value");

    case PH_KUBECONFIG_PROBLEM_INVALID_CERTIFICATE:
      return _("Invalid certificate");

    case PH_KUBECONFIG_PROBLEM_UNKNOWN_FIELD:
      return _("Unknown credential field");

    case PH_KUBECONFIG_PROBLEM_CONFLICT:
      return _("Conflicting settings");

    case PH_KUBECONFIG_PROBLEM_UNSUPPORTED:
      if (strcmp (last, "auth-provider") == 0)
        return _("Auth provider not supported");
      return _("Not supported");

    case PH_KUBECONFIG_PROBLEM_NONE:
    default:
      break;
    }

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
        shown = summarize_problem (ph_cluster_entry_get_problem (self->entry),
                                   ph_cluster_entry_get_problem_field (self->entry));
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
