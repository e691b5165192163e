-- What proved each payment: "preimage" (sha256 of it is the payment hash), or a payment server's
-- own status for a backend that shows no preimage ("btcpay status"). Sales paid before this
-- column existed were all proven by their preimage.
ALTER TABLE sales ADD COLUMN proof TEXT;
UPDATE sales SET proof = 'preimage' WHERE preimage IS NOT NULL;
