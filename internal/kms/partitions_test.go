package kms

import (
	"encoding/json"
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// partitionOf is the SDKs' aws.partition function: the partition that lists the Region, else the
// first whose regionRegex matches, else aws. This holds the module's hand-matched patterns to Go's
// regexp over the partitions table itself, for the Regions and names around them.
func TestPartitionOfIsTheSDKsRule(t *testing.T) {
	raw, err := os.ReadFile("../partitiongen/sdk/partitions.json")
	require.NoError(t, err)
	var table struct {
		Partitions []struct {
			ID          string                     `json:"id"`
			RegionRegex string                     `json:"regionRegex"`
			Regions     map[string]json.RawMessage `json:"regions"`
		} `json:"partitions"`
	}
	require.NoError(t, json.Unmarshal(raw, &table))
	sdkPartition := func(name string) string {
		for _, p := range table.Partitions {
			if _, ok := p.Regions[name]; ok {
				return p.ID
			}
		}
		for _, p := range table.Partitions {
			if regexp.MustCompile(p.RegionRegex).MatchString(name) {
				return p.ID
			}
		}
		return "aws"
	}
	names := []string{"", "-", "us", "us-", "us-east", "us-east-", "us-east-1-", "us--1", "us-_-1", "us-east-1a",
		"us-east-12", "us-Ea5t_x-77", "us-east-1-fips", "fips-us-east-1", "mars-1", "local", "cn-south-1", "cn-1",
		"us-gov-north-9", "us-iso-x-1", "us-isob-x-1", "us-isof-x-1", "eu-isoe-x-1", "eusc-de-x-1", "eusc-fr-x-1",
		"eusc-de-1", "us-gov-1", "us-iso-1", "ap-southeast-99", "xx-east-1", "aws-global", "aws-cn-global"}
	for _, p := range table.Partitions {
		for name := range p.Regions {
			names = append(names, name, name+"x", "x"+name, name+"-1")
		}
	}
	for _, name := range names {
		require.Equal(t, sdkPartition(name), partitionOf(name), "partition of %q", name)
	}
}
