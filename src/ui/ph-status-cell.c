/* ph-status-cell.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ph-field-cell.h"
#include "ph-status-cell.h"

struct _PhStatusCell
{
  GtkWidget       parent_instance;

  GtkInscription *inscription;
  char           *status;
  PhStatusKind    kind;
};

G_DEFINE_FINAL_TYPE (PhStatusCell, ph_status_cell, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const kind_classes[] = { NULL, "success", "warning", "error" };

PhStatusKind
ph_status_kind_classify (const char *status)
{
  static const char * const good[] = {
    "Running", "Ready", "Active", "Bound", "Available", "Succeeded", "Completed", "Complete", "Normal",
  };
  static const char * const progress[] = {
    "Pending", "ContainerCreating", "PodInitializing", "Terminating", "Released", "Progressing",
  };

  if (status == NULL || status[0] == '\0')
    return PH_STATUS_KIND_NEUTRAL;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    if (g_str_equal (status, good[i]))
      return PH_STATUS_KIND_GOOD;

  for (guint i = 0; i < G_N_ELEMENTS (progress); i++)
    if (g_str_equal (status, progress[i]))
      return PH_STATUS_KIND_PROGRESS;

  if (g_str_has_prefix (status, "Init:"))
    return PH_STATUS_KIND_PROGRESS;

  /* Everything else a pod or node reports is a reason something is wrong:
   * CrashLoopBackOff, Error, ImagePullBackOff, OOMKilled, NotReady, Failed… */
  return PH_STATUS_KIND_BAD;
}

static void
ph_status_cell_dispose (GObject *object)
{
  PhStatusCell *self = PH_STATUS_CELL (object);

  if (self->inscription != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->inscription));
      self->inscription = NULL;
    }

  G_OBJECT_CLASS (ph_status_cell_parent_class)->dispose (object);
}

static void
ph_status_cell_finalize (GObject *object)
{
  PhStatusCell *self = PH_STATUS_CELL (object);

  g_free (self->status);

  G_OBJECT_CLASS (ph_status_cell_parent_class)->finalize (object);
}

static void
ph_status_cell_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PhStatusCell *self = PH_STATUS_CELL (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_status_cell_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PhStatusCell *self = PH_STATUS_CELL (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      ph_status_cell_set_status (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_status_cell_class_init (PhStatusCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ph_status_cell_dispose;
  object_class->finalize = ph_status_cell_finalize;
  object_class->get_property = ph_status_cell_get_property;
  object_class->set_property = ph_status_cell_set_property;

  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ph-status-cell");
}

static void
ph_status_cell_init (PhStatusCell *self)
{
  self->inscription = GTK_INSCRIPTION (gtk_inscription_new (NULL));
  /* GTK tops up the columns closest to their natural width first: a
   * small gap keeps "CrashLoopBackOff" whole when space is short. */
  gtk_inscription_set_min_chars (self->inscription, 14);
  gtk_inscription_set_nat_chars (self->inscription, 18);
  gtk_inscription_set_text_overflow (self->inscription, GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_widget_set_parent (GTK_WIDGET (self->inscription), GTK_WIDGET (self));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->inscription), TRUE);
  g_signal_connect (self->inscription, "query-tooltip", G_CALLBACK (ph_inscription_query_tooltip), NULL);
}

GtkWidget *
ph_status_cell_new (void)
{
  return g_object_new (PH_TYPE_STATUS_CELL, NULL);
}

const char *
ph_status_cell_get_status (PhStatusCell *self)
{
  g_return_val_if_fail (PH_IS_STATUS_CELL (self), NULL);

  return self->status;
}

void
ph_status_cell_set_status (PhStatusCell *self,
                           const char   *status)
{
  PhStatusKind kind;

  g_return_if_fail (PH_IS_STATUS_CELL (self));

  if (g_strcmp0 (self->status, status) == 0)
    return;

  g_free (self->status);
  self->status = g_strdup (status);
  gtk_inscription_set_text (self->inscription, status);

  kind = ph_status_kind_classify (status);
  if (kind != self->kind)
    {
      if (kind_classes[self->kind] != NULL)
        gtk_widget_remove_css_class (GTK_WIDGET (self->inscription), kind_classes[self->kind]);
      if (kind_classes[kind] != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (self->inscription), kind_classes[kind]);
      self->kind = kind;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}
