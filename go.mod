module github.com/wasmkms/wasmkms

go 1.26

require (
	github.com/emmansun/gmsm v0.44.1 // indirect
	github.com/stretchr/testify v1.12.1 // indirect
	github.com/tetratelabs/wazero v1.12.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
)
