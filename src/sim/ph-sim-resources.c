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
static const char *const job_fields[] = { "status.successful", NULL };
static const char *const secret_fields[] = { "type", NULL };
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
  [PH_SIM_RES_STATEFULSETS] = {
    "apps", "v1", "statefulsets", "statefulset", "StatefulSet", "StatefulSetList", TRUE,
    "[\"sts\"]", "[\"all\"]",
    "[" COL_NAME ","
    COL ("Ready", "string", "", "Number of the pod with ready state", 0) ","
    COL_AGE ","
    COL ("Containers", "string", "", "Names of each container in the template.", 1) ","
    COL ("Images", "string", "", "Images referenced by each container in the template.", 1) "]",
    no_fields,
  },
  [PH_SIM_RES_DAEMONSETS] = {
    "apps", "v1", "daemonsets", "daemonset", "DaemonSet", "DaemonSetList", TRUE,
    "[\"ds\"]", "[\"all\"]",
    "[" COL_NAME ","
    COL ("Desired", "integer", "", "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).", 0) ","
    COL ("Current", "integer", "", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.", 0) ","
    COL ("Ready", "integer", "", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.", 0) ","
    COL ("Up-to-date", "integer", "", "The total number of nodes that are running updated daemon pod", 0) ","
    COL ("Available", "integer", "", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)", 0) ","
    COL ("Node Selector", "string", "", "NodeSelector is a selector which must be true for the pod to fit on a node.", 0) ","
    COL_AGE ","
    COL ("Containers", "string", "", "Names of each container in the template.", 1) ","
    COL ("Images", "string", "", "Images referenced by each container in the template.", 1) ","
    COL ("Selector", "string", "", "A label query over pods that are managed by the daemon set.", 1) "]",
    no_fields,
  },
  [PH_SIM_RES_JOBS] = {
    "batch", "v1", "jobs", "job", "Job", "JobList", TRUE,
    "[]", "[\"all\"]",
    "[" COL_NAME ","
    COL ("Completions", "string", "", "The desired number of successfully finished pods the job should be run with.", 0) ","
    COL ("Duration", "string", "", "Time required to complete the job.", 0) ","
    COL_AGE ","
    COL ("Containers", "string", "", "Names of each container in the template.", 1) ","
    COL ("Images", "string", "", "Images referenced by each container in the template.", 1) ","
    COL ("Selector", "string", "", "A label query over pods that should match the pod count.", 1) "]",
    job_fields,
  },
  [PH_SIM_RES_CRONJOBS] = {
    "batch", "v1", "cronjobs", "cronjob", "CronJob", "CronJobList", TRUE,
    "[\"cj\"]", "[\"all\"]",
    "[" COL_NAME ","
    COL ("Schedule", "string", "", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.", 0) ","
    COL ("Suspend", "boolean", "", "This flag tells the controller to suspend subsequent executions.", 0) ","
    COL ("Active", "integer", "", "A list of pointers to currently running jobs.", 0) ","
    COL ("Last Schedule", "string", "", "Information when was the last time the job was successfully scheduled.", 0) ","
    COL_AGE ","
    COL ("Containers", "string", "", "Names of each container in the template.", 1) ","
    COL ("Images", "string", "", "Images referenced by each container in the template.", 1) ","
    COL ("Selector", "string", "", "A label query over pods that should match the pod count.", 1) "]",
    no_fields,
  },
  [PH_SIM_RES_INGRESSES] = {
    "networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", "IngressList", TRUE,
    "[\"ing\"]", "[]",
    "[" COL_NAME ","
    COL ("Class", "string", "", "The name of the IngressClass resource that should be used.", 0) ","
    COL ("Hosts", "string", "", "Hosts that incoming requests are matched against before the ingress rule", 0) ","
    COL ("Address", "string", "", "Address is a list containing ingress points for the load-balancer", 0) ","
    COL ("Ports", "string", "", "Ports of TLS configurations that open", 0) ","
    COL_AGE "]",
    no_fields,
  },
  [PH_SIM_RES_ENDPOINTSLICES] = {
    "discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", "EndpointSliceList", TRUE,
    "[]", "[]",
    "[" COL_NAME ","
    COL ("AddressType", "string", "", "The type of address carried by this EndpointSlice.", 0) ","
    COL ("Ports", "string", "", "Ports included in this EndpointSlice.", 0) ","
    COL ("Endpoints", "string", "", "Unique addresses included in this EndpointSlice.", 0) ","
    COL_AGE "]",
    no_fields,
  },
  [PH_SIM_RES_SECRETS] = {
    "", "v1", "secrets", "secret", "Secret", "SecretList", TRUE,
    "[]", "[]",
    "[" COL_NAME ","
    COL ("Type", "string", "", "Used to facilitate programmatic handling of secret data.", 0) ","
    COL ("Data", "string", "", "The number of keys in the secret.", 0) ","
    COL_AGE "]",
    secret_fields,
  },
  [PH_SIM_RES_PVCS] = {
    "", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim",
    "PersistentVolumeClaimList", TRUE,
    "[\"pvc\"]", "[]",
    "[" COL_NAME ","
    COL ("Status", "string", "", "Phase represents the current phase of PersistentVolumeClaim.", 0) ","
    COL ("Volume", "string", "", "VolumeName is the binding reference to the PersistentVolume backing this claim.", 0) ","
    COL ("Capacity", "string", "", "Capacity represents the actual resources of the underlying volume.", 0) ","
    COL ("Access Modes", "string", "", "AccessModes contains the actual access modes the volume backing the PVC has.", 0) ","
    COL ("StorageClass", "string", "", "StorageClassName is the name of the StorageClass required by the claim.", 0) ","
    COL_AGE ","
    COL ("VolumeMode", "string", "", "VolumeMode defines what type of volume is required by the claim.", 1) "]",
    no_fields,
  },
  [PH_SIM_RES_PVS] = {
    "", "v1", "persistentvolumes", "persistentvolume", "PersistentVolume", "PersistentVolumeList", FALSE,
    "[\"pv\"]", "[]",
    "[" COL_NAME ","
    COL ("Capacity", "string", "", "capacity is the description of the persistent volume's resources and capacity.", 0) ","
    COL ("Access Modes", "string", "", "accessModes contains all ways the volume can be mounted.", 0) ","
    COL ("Reclaim Policy", "string", "", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.", 0) ","
    COL ("Status", "string", "", "phase indicates if a volume is available, bound to a claim, or released by a claim.", 0) ","
    COL ("Claim", "string", "", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.", 0) ","
    COL ("StorageClass", "string", "", "storageClassName is the name of StorageClass to which this persistent volume belongs.", 0) ","
    COL ("Reason", "string", "", "reason is a brief CamelCase string that describes any failure.", 0) ","
    COL_AGE ","
    COL ("VolumeMode", "string", "", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.", 1) "]",
    no_fields,
  },
  [PH_SIM_RES_STORAGECLASSES] = {
    "storage.k8s.io", "v1", "storageclasses", "storageclass", "StorageClass", "StorageClassList", FALSE,
    "[\"sc\"]", "[]",
    "[" COL_NAME ","
    COL ("Provisioner", "string", "", "Indicates the type of the provisioner.", 0) ","
    COL ("ReclaimPolicy", "string", "", "Dynamically provisioned PersistentVolumes of this storage class are created with this reclaimPolicy.", 0) ","
    COL ("VolumeBindingMode", "string", "", "VolumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.", 0) ","
    COL ("AllowVolumeExpansion", "string", "", "AllowVolumeExpansion shows whether the storage class allow volume expand.", 0) ","
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
