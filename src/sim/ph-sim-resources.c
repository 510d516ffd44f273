/* ph-sim-resources.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ph-sim-store.h"

#define COL(name, type, format, desc, priority) \
  "{\"name\":\"" name "\",\"type\":\"" type "\",\"format\":\"" format "\"," \
  "\"description\":\"" desc "\",\"priority\":" #priority "}"

#define COL_NAME COL ("Name", "string", "name", "Name must be unique within a namespace.", 0)
#define COL_AGE COL ("Age", "string", "", "CreationTimestamp is a timestamp representing the server time when this object was created.", 0)

static const char *const pod_fields[] = {
  "status.phase", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
  "spec.serviceAccountName", "status.podIP", "status.nominatedNodeName", NULL
};
static const char *const namespace_fields[] = { "status.phase", NULL };
static const char *const node_fields[] = { "spec.unschedulable", NULL };
static const char *const event_fields[] = {
  "involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
  "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
  "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type", NULL
};
static const char *const replicaset_fields[] = { "status.replicas", NULL };
static const char *const no_fields[] = { NULL };

const PhSimResource ph_sim_resources[PH_SIM_N_RES] = {
  [PH_SIM_RES_NAMESPACES] = {
    "", "v1", "namespaces", "namespace", "Namespace", "NamespaceList", FALSE,
    "[\"ns\"]", "[]",
    "[" COL_NAME ","
    COL ("Status", "string", "", "The status of the namespace", 0) ","
    COL_AGE "]",
    namespace_fields,
  },
  [PH_SIM_RES_PODS] = {
    "", "v1", "pods", "pod", "Pod", "PodList", TRUE,
    "[\"po\"]", "[\"all\"]",
    "[" COL_NAME ","
    COL ("Ready", "string", "", "The aggregate readiness state of this pod for accepting traffic.", 0) ","
    COL ("Status", "string", "", "The aggregate status of the containers in this pod.", 0) ","
    COL ("Restarts", "string", "", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.", 0) ","
    COL_AGE ","
    COL ("IP", "string", "", "IP address allocated to the pod.", 1) ","
    COL ("Node", "string", "", "Name of the node the pod is assigned to.", 1) ","
    COL ("Nominated Node", "string", "", "Name of the node where the pod is nominated to run.", 1) ","
    COL ("Readiness Gates", "string", "", "The readiness gates of the pod.", 1) "]",
    pod_fields,
  },
  [PH_SIM_RES_DEPLOYMENTS] = {
    "apps", "v1", "deployments", "deployment", "Deployment", "DeploymentList", TRUE,
    "[\"deploy\"]", "[\"all\"]",
    "[" COL_NAME ","
    COL ("Ready", "string", "", "Number of the pod with ready state", 0) ","
    COL ("Up-to-date", "string", "", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", 0) ","
    COL ("Available", "string", "", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", 0) ","
    COL_AGE ","
    COL ("Containers", "string", "", "Names of each container in the template.", 1) ","
    COL ("Images", "string", "", "Images referenced by each container in the template.", 1) ","
    COL ("Selector", "string", "", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.", 1) "]",
    no_fields,
  },
  [PH_SIM_RES_REPLICASETS] = {
    "apps", "v1", "replicasets", "replicaset", "ReplicaSet", "ReplicaSetList", TRUE,
    "[\"rs\"]", "[\"all\"]",
    "[" COL_NAME ","
    COL ("Desired", "integer", "", "Replicas is the number of desired replicas.", 0) ","
    COL ("Current", "integer", "", "Replicas is the most recently observed number of replicas.", 0) ","
    COL ("Ready", "integer", "", "The number of ready replicas for this replica set.", 0) ","
    COL_AGE ","
    COL ("Containers", "string", "", "Names of each container in the template.", 1) ","
    COL ("Images", "string", "", "Images referenced by each container in the template.", 1) ","
    COL ("Selector", "string", "", "Selector is a label query over pods that should match the replica count.", 1) "]",
    replicaset_fields,
  },
  [PH_SIM_RES_SERVICES] = {
    "", "v1", "services", "service", "Service", "ServiceList", TRUE,
    "[\"svc\"]", "[\"all\"]",
    "[" COL_NAME ","
    COL ("Type", "string", "", "The type of the service.", 0) ","
    COL ("Cluster-IP", "string", "", "The cluster IP of the service.", 0) ","
    COL ("External-IP", "string", "", "The external IP of the service.", 0) ","
    COL ("Port(s)", "string", "", "The ports of the service.", 0) ","
    COL_AGE ","
    COL ("Selector", "string", "", "Route service traffic to pods with label keys and values matching this selector.", 1) "]",
    no_fields,
  },
  [PH_SIM_RES_CONFIGMAPS] = {
    "", "v1", "configmaps", "configmap", "ConfigMap", "ConfigMapList", TRUE,
    "[\"cm\"]", "[]",
    "[" COL_NAME ","
    COL ("Data", "string", "", "The number of keys in the config map.", 0) ","
    COL_AGE "]",
    no_fields,
  },
  [PH_SIM_RES_NODES] = {
    "", "v1", "nodes", "node", "Node", "NodeList", FALSE,
    "[\"no\"]", "[]",
    "[" COL_NAME ","
    COL ("Status", "string", "", "The status of the node", 0) ","
    COL ("Roles", "string", "", "The roles of the node", 0) ","
    COL_AGE ","
    COL ("Version", "string", "", "Kubelet Version reported by the node.", 0) ","
    COL ("Internal-IP", "string", "", "List of addresses reachable to the node.", 1) ","
    COL ("External-IP", "string", "", "List of addresses reachable to the node.", 1) ","
    COL ("OS-Image", "string", "", "OS Image reported by the node from /etc/os-release.", 1) ","
    COL ("Kernel-Version", "string", "", "Kernel Version reported by the node.", 1) ","
    COL ("Container-Runtime", "string", "", "Container Runtime Version reported by the node.", 1) "]",
    node_fields,
  },
  [PH_SIM_RES_EVENTS] = {
    "", "v1", "events", "event", "Event", "EventList", TRUE,
    "[\"ev\"]", "[]",
    "[" COL ("Last Seen", "string", "", "The last time this event was observed.", 0) ","
    COL ("Type", "string", "", "Type of this event (Normal, Warning).", 0) ","
    COL ("Reason", "string", "", "Why the action was taken.", 0) ","
    COL ("Object", "string", "", "The object this Event is about.", 0) ","
    COL ("Message", "string", "", "A human-readable description of the status of this operation.", 0) "]",
    event_fields,
  },
  [PH_SIM_RES_WIDGETS] = {
    "demo.porthole.io", "v1", "widgets", "widget", "Widget", "WidgetList", TRUE,
    "[\"wd\"]", "[\"all\"]",
    "[" COL_NAME ","
    COL ("Color", "string", "", "The color of the widget", 0) ","
    COL ("Size", "integer", "", "The size of the widget", 0) ","
    COL ("Phase", "string", "", "Where the widget is in its life", 0) ","
    COL_AGE "]",
    no_fields,
  },
  [PH_SIM_RES_CRDS] = {
    "apiextensions.k8s.io", "v1", "customresourcedefinitions",
    "customresourcedefinition", "CustomResourceDefinition",
    "CustomResourceDefinitionList", FALSE,
    "[\"crd\",\"crds\"]", "[\"api-extensions\"]",
    "[" COL_NAME ","
    COL ("Created At", "date", "", "The time the resource was created", 0) ","
    COL_AGE "]",
    no_fields,
  },
};

const PhSimResource *
ph_sim_resource_lookup (const char *group,
                        const char *version,
                        const char *resource,
                        PhSimResId *out_id)
{
  for (guint i = 0; i < PH_SIM_N_RES; i++)
    {
      const PhSimResource *r = &ph_sim_resources[i];

      if (strcmp (r->group, group) == 0 &&
          strcmp (r->version, version) == 0 &&
          strcmp (r->resource, resource) == 0)
        {
          if (out_id != NULL)
            *out_id = i;
          return r;
        }
    }

  return NULL;
}
