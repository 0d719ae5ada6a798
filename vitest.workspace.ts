export default ["packages/core", "packages/ringcentral", "packages/people-contacts", "examples"]
