package kms

// The AWS Regions, per partition: the one list this service checks a Region name against
// (ReplicateKey's ReplicaRegion). Source: the AWS SDK's partitions table
// (@aws-sdk/core 3.981.2, util-endpoints/lib/aws/partitions.js), without its "-global" pseudo-Regions.
// A caller may still use any Region name (a test double's callers pick their own); only a replica's
// Region must be a real one, since AWS creates the replica there.
var regionsByPartition = map[string][]string{
	"aws": {
		"af-south-1",
		"ap-east-1", "ap-east-2",
		"ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
		"ap-south-1", "ap-south-2",
		"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
		"ap-southeast-6", "ap-southeast-7",
		"ca-central-1", "ca-west-1",
		"eu-central-1", "eu-central-2",
		"eu-north-1",
		"eu-south-1", "eu-south-2",
		"eu-west-1", "eu-west-2", "eu-west-3",
		"il-central-1",
		"me-central-1", "me-south-1", "me-west-1",
		"mx-central-1",
		"sa-east-1", "sa-west-1",
		"us-east-1", "us-east-2",
		"us-west-1", "us-west-2",
	},
	"aws-cn":     {"cn-north-1", "cn-northwest-1"},
	"aws-us-gov": {"us-gov-east-1", "us-gov-west-1"},
	"aws-eusc":   {"eusc-de-east-1"},
	"aws-iso":    {"us-iso-east-1", "us-iso-west-1"},
	"aws-iso-b":  {"us-isob-east-1", "us-isob-west-1"},
	"aws-iso-e":  {"eu-isoe-west-1"},
	"aws-iso-f":  {"us-isof-east-1", "us-isof-south-1"},
}

// regionPartitions maps each Region name of regionsByPartition to its partition.
var regionPartitions = func() map[string]string {
	m := map[string]string{}
	for partition, names := range regionsByPartition {
		for _, name := range names {
			m[name] = partition
		}
	}
	return m
}()

// regionPartition answers the partition of a real AWS Region, and false for a name that is not one.
func regionPartition(name string) (string, bool) {
	p, ok := regionPartitions[name]
	return p, ok
}

// partitionOfAnyRegion is the partition of a Region name: the table's for a real Region, else the
// one partitionOf infers from the name (the world accepts callers in Regions of any name).
func partitionOfAnyRegion(name string) string {
	if p, ok := regionPartition(name); ok {
		return p
	}
	return partitionOf(name)
}
